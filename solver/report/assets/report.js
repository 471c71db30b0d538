/* twinning report: the map, the school panels and the tables.
 *
 * Plain ES2017 with no build step, so that the page stays one file that opens offline in
 * any current browser (the bureaus' 360/QQ browsers are Chromium underneath). Leaflet,
 * inlined before this script, draws the map; everything else is a few DOM helpers. The
 * data come from the JSON element #report-data, written by solver/report/html.py.
 */
(function () {
  "use strict";

  var D = JSON.parse(document.getElementById("report-data").textContent);
  var W = D.words;
  var byId = {};
  D.schools.forEach(function (s) { byId[s.id] = s; });
  var tableById = {};
  D.tables.forEach(function (t) { tableById[t.id] = t; });
  var collator = new Intl.Collator(D.lang === "zh" ? "zh-CN" : "en", { numeric: true });

  function esc(value) {
    return String(value === null || value === undefined ? "" : value)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }
  function schoolLabel(id) {
    var s = byId[id];
    return s ? s.name + " (" + id + ")" : id;
  }
  function schoolLink(id) {
    return '<a class="school-link" data-open="' + esc(id) + '">' + esc(id) + "</a>";
  }
  function column(table, key) {
    return table ? table.columns.map(function (c) { return c.key; }).indexOf(key) : -1;
  }
  function rowsWhere(tableId, key, value) {
    var t = tableById[tableId];
    var i = column(t, key);
    if (i < 0) { return []; }
    return t.rows.filter(function (r) { return r[i] === value; });
  }

  // ---- map ---------------------------------------------------------------------------

  var FLOW_COLOURS = { out: "#e66101", "in": "#5e3c99", mixed: "#878787" };
  var MANY_FLOWS = 1500;
  var map = null;
  var markers = {};
  var layers = {};
  var flowLines = [];
  var selected = null;

  function shapeSvg(shape, n, fill, lead) {
    var h = n / 2;
    var stroke = lead ? "#000" : "#fff";
    var width = lead ? 2 : 1;
    var el;
    if (shape === "square") {
      el = '<rect x="1" y="1" width="' + (n - 2) + '" height="' + (n - 2) + '"/>';
    } else if (shape === "triangle") {
      el = '<polygon points="' + h + ",1 " + (n - 1) + "," + (n - 1) + " 1," + (n - 1) + '"/>';
    } else if (shape === "diamond") {
      el = '<polygon points="' + h + ",0 " + n + "," + h + " " + h + "," + n + " 0," + h + '"/>';
    } else if (shape === "hexagon") {
      var q = n / 4;
      el = '<polygon points="' + q + ",1 " + (n - q) + ",1 " + (n - 1) + "," + h + " " +
        (n - q) + "," + (n - 1) + " " + q + "," + (n - 1) + " 1," + h + '"/>';
    } else if (shape === "pentagon") {
      var pts = [];
      for (var k = 0; k < 5; k++) {
        var a = 2 * Math.PI / 5 * k - Math.PI / 2;
        pts.push((h + (h - 0.5) * Math.cos(a)).toFixed(1) + "," + (h + (h - 0.5) * Math.sin(a)).toFixed(1));
      }
      el = '<polygon points="' + pts.join(" ") + '"/>';
    } else {
      el = '<circle cx="' + h + '" cy="' + h + '" r="' + (h - 1) + '"/>';
    }
    var badge = lead ? '<text x="' + (n - 2) + '" y="1" font-size="11" fill="#000">★</text>' : "";
    return '<svg width="' + n + '" height="' + n + '" viewBox="0 0 ' + n + " " + n + '">' +
      '<g fill="' + fill + '" stroke="' + stroke + '" stroke-width="' + width + '">' + el +
      "</g>" + badge + "</svg>";
  }

  function schoolIcon(s) {
    var n = s.lead ? 18 : 12;
    return L.divIcon({
      className: "school-icon",
      html: shapeSvg(s.shape, n, D.colours.tiers[s.tier] || "#888", s.lead),
      iconSize: [n, n],
      iconAnchor: [n / 2, n / 2],
    });
  }

  function located(id) {
    var s = byId[id];
    return s && s.lat !== null && s.lon !== null ? s : null;
  }

  // A point a share t along the quadratic curve from a to b that bows to the right of the
  // direction of travel: A->B and B->A then draw as two separate arcs.
  function curve(a, b, bow, steps) {
    var k = Math.cos(a.lat * Math.PI / 180);
    var dx = (b.lon - a.lon) * k;
    var dy = b.lat - a.lat;
    var cx = (a.lon * k + b.lon * k) / 2 + dy * bow;
    var cy = (a.lat + b.lat) / 2 - dx * bow;
    var out = [];
    for (var i = 0; i <= steps; i++) {
      var t = i / steps;
      var x = (1 - t) * (1 - t) * a.lon * k + 2 * (1 - t) * t * cx + t * t * b.lon * k;
      var y = (1 - t) * (1 - t) * a.lat + 2 * (1 - t) * t * cy + t * t * b.lat;
      out.push([y, x / k]);
    }
    return out;
  }

  function mark(layer, attrs) {
    var el = layer.getElement ? layer.getElement() : null;
    if (!el) { return; }
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
  }

  // A map not laid out yet (a page in a hidden frame, a frame still 0 px high) has no room
  // for its padding: Leaflet's fitBounds then works out a NaN zoom ("Invalid LatLng
  // object"). Such a map is centred on the bounds and fitted once it is given a size.
  var pendingFit = null;
  function fitMap(bounds, options) {
    var size = map.getSize();
    var pad = options.padding ? options.padding[0] : 0;
    if (size.x <= 2 * pad || size.y <= 2 * pad) {
      map.setView(bounds.getCenter(), options.maxZoom || 10, { animate: false });
      pendingFit = [bounds, options];
      return;
    }
    map.fitBounds(bounds, options);
  }

  function buildMap() {
    var where = D.schools.filter(function (s) { return s.lat !== null && s.lon !== null; });
    var host = document.getElementById("map");
    if (!where.length) {
      host.textContent = W.no_coordinates.replace("{n}", String(D.schools.length));
      return;
    }
    map = L.map(host, { zoomSnap: 0.25, preferCanvas: false, worldCopyJump: false });
    if (D.tiles) {
      L.tileLayer(D.tiles, { maxZoom: 18, attribution: esc(D.tiles) }).addTo(map);
    }
    map.on("resize", function () {
      if (pendingFit) { var again = pendingFit; pendingFit = null; fitMap(again[0], again[1]); }
    });
    fitMap(L.latLngBounds(where.map(function (s) { return [s.lat, s.lon]; })), {
      padding: [20, 20],
    });

    layers.alliances = L.layerGroup();
    D.alliances.forEach(function (a) {
      var lead = byId[a.lead];
      var tip = esc(a.id) + " · " + esc(W.lead) + esc(W.colon) + esc(schoolLabel(a.lead)) + " · " +
        a.members.length + " " + esc(W.members);
      var shape;
      if (a.hull.length >= 3) {
        shape = L.polygon(a.hull, {
          color: a.colour, weight: 1.5, dashArray: "6 4", fillColor: a.colour, fillOpacity: 0.08,
        });
      } else if (a.hull.length) {
        shape = L.circle(a.hull[0], { radius: 1500, color: a.colour, weight: 1.5, fillOpacity: 0.08 });
      }
      if (shape) {
        shape.bindTooltip(tip, { sticky: true });
        shape.addTo(layers.alliances);
        shape._twinning = { "data-alliance": a.id, "data-lead": lead ? lead.id : a.lead };
      }
    });

    layers.flows = L.layerGroup();
    layers["flow-counts"] = L.layerGroup();
    D.flows.forEach(function (f) {
      var a = located(f.from);
      var b = located(f.to);
      if (!a || !b || a === b) { return; }
      var points = curve(a, b, 0.15, 12);
      var kinds = Object.keys(f.kinds).map(function (k) { return k + " " + f.kinds[k]; }).join(", ");
      var line = L.polyline(points, {
        color: FLOW_COLOURS[f.direction] || FLOW_COLOURS.mixed,
        weight: 0.8 + 0.9 * Math.sqrt(f.count),
        opacity: 0.45,
      });
      line.bindTooltip(esc(schoolLabel(f.from)) + " → " + esc(schoolLabel(f.to)) + ": " +
        f.count + " (" + esc(kinds) + ")", { sticky: true });
      line._twinning = { "data-flow": f.from + ">" + f.to, "data-count": String(f.count) };
      line._ends = [f.from, f.to];
      line.addTo(layers.flows);
      flowLines.push(line);
      L.marker(points[6], {
        icon: L.divIcon({ className: "flow-label", html: String(f.count), iconSize: null }),
        interactive: false,
        keyboard: false,
      }).addTo(layers["flow-counts"]);
    });

    layers.pairs = L.layerGroup();
    D.pairs.forEach(function (p) {
      var a = located(p.helper);
      var b = located(p.helped);
      if (!a || !b) { return; }
      // A middle vertex carries the arrow (an SVG marker of constant size at any zoom).
      var mid = [a.lat + 0.6 * (b.lat - a.lat), a.lon + 0.6 * (b.lon - a.lon)];
      var line = L.polyline([[a.lat, a.lon], mid, [b.lat, b.lon]], {
        color: "#333", weight: 1.5, opacity: 0.8, smoothFactor: 0,  // keep the middle vertex
      });
      line.bindTooltip(esc(schoolLabel(p.helper)) + " → " + esc(schoolLabel(p.helped)) + ", " +
        p.km + " " + esc(W.km), { sticky: true });
      line._twinning = { "data-pair": p.helper + ">" + p.helped, "marker-mid": "url(#twinning-arrow)" };
      line.addTo(layers.pairs);
    });

    var show = {
      alliances: true,
      pairs: true,
      flows: D.flows.length <= MANY_FLOWS,
      "flow-counts": false,
    };
    if (D.flows.length > MANY_FLOWS) {
      document.getElementById("flow-note").textContent =
        W.many_flows.replace("{n}", String(D.flows.length));
    }
    ["alliances", "flows", "flow-counts", "pairs"].forEach(function (key) {
      if (show[key]) { addLayer(key); }
    });
    document.querySelectorAll("input[data-layer]").forEach(function (box) {
      var key = box.getAttribute("data-layer");
      box.checked = !!show[key];
      box.addEventListener("change", function () {
        if (box.checked) { addLayer(key); } else { map.removeLayer(layers[key]); }
      });
    });

    where.forEach(function (s) {
      var m = L.marker([s.lat, s.lon], { icon: schoolIcon(s), riseOnHover: true });
      m.bindTooltip(esc(s.name) + " (" + esc(s.id) + ") · " + esc(s.stage) + " · " +
        esc(s.tierLabel), { direction: "top", offset: [0, -6] });
      m.on("click", function () { openSchool(s.id); });
      m.addTo(map);
      var el = m.getElement();
      el.setAttribute("data-school", s.id);
      el.setAttribute("data-tier", s.tier);
      el.setAttribute("data-shape", s.shape);
      if (s.alliance) { el.setAttribute("data-alliance", s.alliance); }
      if (s.lead) { el.setAttribute("data-lead", "true"); }
      markers[s.id] = m;
    });
  }

  // The arrow of the pair lines, defined once in the SVG Leaflet draws the lines in.
  function arrowDefinition() {
    var svg = map.getPanes().overlayPane.querySelector("svg");
    if (!svg || svg.querySelector("#twinning-arrow")) { return; }
    var ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs");
    var marker = document.createElementNS(ns, "marker");
    var attrs = { id: "twinning-arrow", viewBox: "0 0 10 10", refX: "5", refY: "5",
      markerWidth: "6", markerHeight: "6", orient: "auto" };
    Object.keys(attrs).forEach(function (k) { marker.setAttribute(k, attrs[k]); });
    var head = document.createElementNS(ns, "path");
    head.setAttribute("d", "M0,0 L10,5 L0,10 z");
    head.setAttribute("fill", "#333");
    marker.appendChild(head);
    defs.appendChild(marker);
    svg.insertBefore(defs, svg.firstChild);
  }

  // Paths get their data attributes once drawn; a layer drawn again (toggled) is new DOM.
  function addLayer(key) {
    layers[key].addTo(map);
    arrowDefinition();
    layers[key].eachLayer(function (layer) {
      if (layer._twinning) { mark(layer, layer._twinning); }
    });
    if (key === "flows" && selected) { dimFlows(selected); }
  }

  function dimFlows(id) {
    flowLines.forEach(function (line) {
      var el = line.getElement && line.getElement();
      if (!el) { return; }
      var mine = line._ends[0] === id || line._ends[1] === id;
      el.classList.toggle("dim", !!id && !mine);
      if (mine) { line.bringToFront(); }
    });
  }

  // ---- the school panel --------------------------------------------------------------

  function miniTable(tableId, rows, drop) {
    var t = tableById[tableId];
    if (!t || !rows.length) { return '<p class="note">' + esc(W.none) + "</p>"; }
    var keep = [];
    t.columns.forEach(function (c, i) { if (drop.indexOf(c.key) < 0) { keep.push(i); } });
    var head = keep.map(function (i) { return "<th>" + esc(t.columns[i].label) + "</th>"; }).join("");
    var body = rows.map(function (r) {
      var staff = column(t, "staff");
      var attr = staff >= 0 ? ' data-staff="' + esc(r[staff]) + '"' : "";
      return "<tr" + attr + ">" + keep.map(function (i) {
        var c = t.columns[i];
        return "<td>" + (c.type === "school" && r[i] ? schoolLink(r[i]) : esc(r[i])) + "</td>";
      }).join("") + "</tr>";
    }).join("");
    return "<table><thead><tr>" + head + "</tr></thead><tbody>" + body + "</tbody></table>";
  }

  function panelSection(key, title, count, html) {
    var n = count === null ? "" : " (" + count + ")";
    return '<section data-panel="' + key + '"><h4>' + esc(title) + n + "</h4>" + html + "</section>";
  }

  function renderSchool(id) {
    var s = byId[id];
    var out = [];
    out.push("<h3>" + esc(s.name) + ' <span class="sub">' + esc(s.id) + "</span></h3>");
    var badges = [s.stage, s.area, s.region ? W.region + " " + s.region : "",
      s.students !== null ? s.students + " " + W.students : ""];
    out.push("<div>" + '<span class="badge tier-' + esc(s.tier) + '">' + esc(s.tierLabel) + "</span>" +
      badges.filter(Boolean).map(function (b) { return '<span class="badge">' + esc(b) + "</span>"; }).join("") +
      "</div>");

    var helps = D.pairs.filter(function (p) { return p.helper === id; });
    var helpedBy = D.pairs.filter(function (p) { return p.helped === id; });
    var unpaired = rowsWhere("unpaired", "school", id);
    if (tableById.pairs) {
      var items = helps.map(function (p) {
        return "<li>" + esc(W.helps) + " " + schoolLink(p.helped) + " " + esc(byId[p.helped] ? byId[p.helped].name : "") +
          " · " + p.km + " " + esc(W.km) + "</li>";
      }).concat(helpedBy.map(function (p) {
        return "<li>" + esc(W.helped_by) + " " + schoolLink(p.helper) + " " + esc(byId[p.helper] ? byId[p.helper].name : "") +
          " · " + p.km + " " + esc(W.km) + "</li>";
      }));
      if (unpaired.length) { items.push("<li>" + esc(W.unpaired) + "</li>"); }
      out.push(panelSection("pair", W.pair, null,
        items.length ? "<ul>" + items.join("") + "</ul>" : '<p class="note">' + esc(W.none) + "</p>"));
    }

    if (s.alliance) {
      var group = D.alliances.filter(function (a) { return a.id === s.alliance; })[0];
      var html = "<p>" + esc(s.alliance) + " · " + esc(W.lead) + esc(W.colon) + schoolLink(group.lead) + " " +
        esc(byId[group.lead] ? byId[group.lead].name : "") + " · " + group.members.length + " " + esc(W.members) + "</p>";
      if (s.lead) {
        html += '<p class="note">★ ' + esc(W.is_lead) + "</p><p>" +
          group.members.filter(function (m) { return m !== id; }).map(schoolLink).join(", ") + "</p>";
      }
      out.push(panelSection("alliance", W.alliance, null, html));
    }

    if (tableById.roster) {
      var roster = tableById.roster;
      var from = column(roster, "from_school");
      var to = column(roster, "to_school");
      var kind = column(roster, "kind");
      var mentorKind = D.values.mentor;
      var leaving = roster.rows.filter(function (r) { return r[from] === id && r[kind] !== mentorKind; });
      var arriving = roster.rows.filter(function (r) { return r[to] === id && r[kind] !== mentorKind; });
      var mentoring = roster.rows.filter(function (r) {
        return r[kind] === mentorKind && (r[from] === id || r[to] === id);
      });
      out.push(panelSection("leaving", W.leaving, leaving.length,
        miniTable("roster", leaving, ["from_school", "from_school_name", "mentee", "fixed", "direction"])));
      out.push(panelSection("arriving", W.arriving, arriving.length,
        miniTable("roster", arriving, ["to_school", "to_school_name", "mentee", "fixed", "direction"])));
      if (mentoring.length) {
        out.push(panelSection("mentoring", W.mentoring, mentoring.length,
          miniTable("roster", mentoring, ["fixed", "direction", "kind", "periods"])));
      }
      var hires = rowsWhere("hires", "school", id);
      if (hires.length) {
        out.push(panelSection("hires", W.new_hires, null, miniTable("hires", hires, ["school", "name"])));
      }
    }

    var needs = D.needs[id] || [];
    var unmet = rowsWhere("unmet_needs", "school", id);
    if (needs.length || unmet.length) {
      var nh = "";
      if (needs.length) {
        nh += "<table><thead><tr><th>" + esc(W.subject) + '</th><th class="num">' + esc(W.shortage) +
          '</th><th class="num">' + esc(W.surplus) + "</th></tr></thead><tbody>" +
          needs.map(function (n) {
            return "<tr><td>" + esc(n[0]) + '</td><td class="num">' + (n[1] || "") + '</td><td class="num">' +
              (n[2] || "") + "</td></tr>";
          }).join("") + "</tbody></table>";
      }
      if (unmet.length) {
        nh += "<p><b>" + esc(W.left_uncovered) + "</b></p>" + miniTable("unmet_needs", unmet, ["school", "school_name"]);
      }
      out.push(panelSection("needs", W.needs, null, nh));
    }

    var notes = D.notes[id] || [];
    if (notes.length) {
      out.push(panelSection("why", W.why, null, "<ul>" + notes.map(function (n) {
        return "<li>" + esc(n) + "</li>";
      }).join("") + "</ul>"));
    }
    return out.join("");
  }

  // Fit the map to a school and the schools it exchanges or pairs with.
  function focusSchool(id) {
    if (!map || !markers[id]) { return; }
    var points = [markers[id].getLatLng()];
    function add(other) { if (other !== id && markers[other]) { points.push(markers[other].getLatLng()); } }
    D.pairs.forEach(function (p) {
      if (p.helper === id) { add(p.helped); }
      if (p.helped === id) { add(p.helper); }
    });
    D.flows.forEach(function (f) {
      if (f.from === id) { add(f.to); }
      if (f.to === id) { add(f.from); }
    });
    fitMap(L.latLngBounds(points), { padding: [40, 40], maxZoom: 12, animate: false });
  }

  function openSchool(id) {
    if (!byId[id]) { return false; }
    if (selected && markers[selected]) {
      var old = markers[selected].getElement();
      if (old) { old.classList.remove("selected"); }
    }
    selected = id;
    var detail = document.getElementById("school-detail");
    detail.innerHTML = renderSchool(id);
    detail.setAttribute("data-school", id);
    document.getElementById("school-input").value = id + " " + byId[id].name;
    if (markers[id]) {
      var el = markers[id].getElement();
      if (el) { el.classList.add("selected"); }
      if (!map.getBounds().contains(markers[id].getLatLng())) {
        map.panTo(markers[id].getLatLng(), { animate: false });
      }
    }
    dimFlows(id);
    return true;
  }

  function buildChooser() {
    var list = document.getElementById("school-list");
    list.innerHTML = D.schools.map(function (s) {
      return '<option value="' + esc(s.id + " " + s.name) + '"></option>';
    }).join("");
    var input = document.getElementById("school-input");
    input.setAttribute("placeholder", W.choose_school);
    document.getElementById("school-detail").innerHTML = '<p class="note">' + esc(W.panel_hint) + "</p>";
    function choose() {
      var text = input.value.trim();
      var first = text.split(/\s+/)[0];
      var hit = byId[first] || D.schools.filter(function (s) { return s.name === text; })[0];
      if (hit && openSchool(hit.id)) { focusSchool(hit.id); }
    }
    input.addEventListener("change", choose);
    input.addEventListener("keydown", function (e) { if (e.key === "Enter") { choose(); } });
  }

  // ---- tables ------------------------------------------------------------------------

  var PAGE_SIZES = [25, 50, 100, 500, 0];

  function Grid(host, table) {
    this.table = table;
    this.query = "";
    this.sortColumn = -1;
    this.sortDir = 1;
    this.page = 0;
    this.size = 50;
    this.text = table.rows.map(function (r) { return r.join("\u0001").toLowerCase(); });
    this.order = table.rows.map(function (_, i) { return i; });
    this.shown = this.order;
    var self = this;
    var el = document.createElement("div");
    el.className = "grid-host";
    el.setAttribute("data-grid", table.id);
    el.innerHTML =
      '<div class="grid-bar"><input type="search" placeholder="' + esc(W.search) + '" aria-label="' +
      esc(W.search) + '"><span class="grid-count"></span><label>' + esc(W.per_page) +
      ' <select class="grid-size">' + PAGE_SIZES.map(function (n) {
        return '<option value="' + n + '"' + (n === 50 ? " selected" : "") + ">" + (n ? n : esc(W.all)) + "</option>";
      }).join("") + '</select></label><span class="pager"><button type="button" class="prev">' + esc(W.prev) +
      '</button> <span class="grid-page"></span> <button type="button" class="next">' + esc(W.next) +
      "</button></span></div>" +
      '<div class="grid-wrap"><table class="grid"><thead><tr>' + table.columns.map(function (c, i) {
        return '<th data-col="' + i + '" data-key="' + esc(c.key) + '" class="' + (c.type === "number" ? "num" : "") +
          '" aria-sort="none">' + esc(c.label) + "</th>";
      }).join("") + "</tr></thead><tbody></tbody></table></div>";
    host.appendChild(el);
    this.el = el;
    el.querySelector("input").addEventListener("input", function (e) {
      self.query = e.target.value;
      self.page = 0;
      self.apply();
    });
    el.querySelector(".grid-size").addEventListener("change", function (e) {
      self.size = Number(e.target.value);
      self.page = 0;
      self.render();
    });
    el.querySelector(".prev").addEventListener("click", function () { self.go(self.page - 1); });
    el.querySelector(".next").addEventListener("click", function () { self.go(self.page + 1); });
    el.querySelectorAll("th").forEach(function (th) {
      th.addEventListener("click", function () { self.sortBy(Number(th.getAttribute("data-col"))); });
    });
    this.apply();
  }

  Grid.prototype.sortBy = function (col) {
    if (this.sortColumn === col) { this.sortDir = -this.sortDir; } else { this.sortColumn = col; this.sortDir = 1; }
    var self = this;
    this.el.querySelectorAll("th").forEach(function (th) {
      var mine = Number(th.getAttribute("data-col")) === col;
      th.setAttribute("aria-sort", mine ? (self.sortDir > 0 ? "ascending" : "descending") : "none");
    });
    this.page = 0;
    this.apply();
  };

  Grid.prototype.apply = function () {
    var rows = this.table.rows;
    var words = this.query.toLowerCase().split(/\s+/).filter(Boolean);
    var text = this.text;
    var idx = this.order.filter(function (i) {
      return words.every(function (w) { return text[i].indexOf(w) >= 0; });
    });
    var col = this.sortColumn;
    var dir = this.sortDir;
    if (col >= 0) {
      idx.sort(function (a, b) {
        var x = rows[a][col];
        var y = rows[b][col];
        var c;
        if (typeof x === "number" && typeof y === "number") { c = x - y; }
        else if (typeof x === "number") { c = -1; }
        else if (typeof y === "number") { c = 1; }
        else { c = collator.compare(String(x), String(y)); }
        return c * dir || a - b;
      });
    }
    this.shown = idx;
    this.render();
  };

  Grid.prototype.pages = function () {
    return this.size ? Math.max(1, Math.ceil(this.shown.length / this.size)) : 1;
  };

  Grid.prototype.go = function (page) {
    this.page = Math.max(0, Math.min(this.pages() - 1, page));
    this.render();
  };

  Grid.prototype.render = function () {
    var t = this.table;
    var start = this.size ? this.page * this.size : 0;
    var end = this.size ? Math.min(this.shown.length, start + this.size) : this.shown.length;
    var html = [];
    for (var k = start; k < end; k++) {
      var i = this.shown[k];
      var r = t.rows[i];
      html.push('<tr data-row="' + i + '">' + r.map(function (v, j) {
        var c = t.columns[j];
        if (c.type === "school" && v) {
          return "<td>" + String(v).split(";").map(schoolLink).join("; ") + "</td>";
        }
        return '<td class="' + (c.type === "number" ? "num" : "") + '">' + esc(v) + "</td>";
      }).join("") + "</tr>");
    }
    this.el.querySelector("tbody").innerHTML = html.length ? html.join("") :
      '<tr><td colspan="' + t.columns.length + '" class="note">' + esc(W.no_rows) + "</td></tr>";
    var count = this.shown.length === t.rows.length ? String(t.rows.length) :
      this.shown.length + " / " + t.rows.length;
    this.el.querySelector(".grid-count").textContent = (this.shown.length ? (start + 1) + "–" + end + " · " : "") +
      W.of + " " + count + " " + W.rows;
    this.el.querySelector(".grid-page").textContent = (this.page + 1) + " / " + this.pages();
    this.el.querySelector(".prev").disabled = this.page === 0;
    this.el.querySelector(".next").disabled = this.page >= this.pages() - 1;
  };

  var grids = {};

  function showTable(id) {
    var host = document.getElementById("table-host");
    document.querySelectorAll(".tabs button").forEach(function (b) {
      b.setAttribute("aria-selected", b.getAttribute("data-table") === id ? "true" : "false");
    });
    Object.keys(grids).forEach(function (k) { grids[k].el.hidden = k !== id; });
    if (!grids[id] && tableById[id]) { grids[id] = new Grid(host, tableById[id]); }
    return grids[id];
  }

  function buildTables() {
    document.querySelectorAll(".tabs button").forEach(function (b) {
      b.addEventListener("click", function () { showTable(b.getAttribute("data-table")); });
    });
    var first = tableById.pairs ? "pairs" : (D.tables[0] && D.tables[0].id);
    if (first) { showTable(first); }
  }

  // A school id anywhere (tables, panel) opens that school's panel beside the map.
  document.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("[data-open]") : null;
    if (!link) { return; }
    e.preventDefault();
    var id = link.getAttribute("data-open");
    if (openSchool(id)) {
      focusSchool(id);
      document.getElementById("map-section").scrollIntoView();
    }
  });

  buildMap();
  buildChooser();
  buildTables();
  var wanted = /^#school=(.+)$/.exec(window.location.hash);
  if (wanted && openSchool(decodeURIComponent(wanted[1]))) { focusSchool(decodeURIComponent(wanted[1])); }

  window.twinningReport = {
    map: map,
    markers: markers,
    grids: grids,
    openSchool: openSchool,
    focusSchool: focusSchool,
    showTable: showTable,
    schoolIds: function () { return D.schools.map(function (s) { return s.id; }); },
  };
  document.documentElement.setAttribute("data-ready", "true");
})();
