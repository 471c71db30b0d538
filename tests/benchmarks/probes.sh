#!/usr/bin/env bash
# Probes of bad inputs, doctored plans, interrupted runs and odd flags: each command and its
# exit code (0, 1 or 2; never a traceback). Run from the repository root: bash tests/benchmarks/probes.sh
set -u
# Uses the twinning on PATH (an install of this repository).
unset CI
W=$(mktemp -d /tmp/twinning-probes.XXXX)
DEMO=instances/demo-county
p() {  # p "what" cmd...
  local what=$1; shift
  "$@" >"$W/out" 2>&1; local rc=$?
  local tb=""; grep -q "Traceback" "$W/out" && tb=" TRACEBACK"
  printf '%-62s exit %s%s | %s\n' "$what" "$rc" "$tb" "$(grep -v '^\s*$' "$W/out" | tail -1 | cut -c1-150)"
}
twinning solve $DEMO -o $W/plan -q --time-limit 20 --format json >/dev/null 2>&1
PLAN=$W/plan/plan.json
edit() {  # edit NAME python-expression-on-d
  python - "$PLAN" "$W/$1.json" "$2" <<'PY'
import json,sys
d=json.load(open(sys.argv[1],encoding="utf-8"))
exec(sys.argv[3])
open(sys.argv[2],"w",encoding="utf-8").write(json.dumps(d,ensure_ascii=False,allow_nan=True))
PY
}
echo "== Plans that should not pass"
edit onlypairs 'd["parts"]=["pairs"]; d["roster"].append(d["roster"][0]); a=d["alliances"]; a.pop()'
p "parts=[pairs], roster line twice, alliance row dropped: validate" twinning validate $DEMO $W/onlypairs.json
p "  same plan: adopt" twinning adopt $DEMO $W/onlypairs.json --registry $W/reg1.db
edit nan 'd["pairs"][0]["distance_km"]=float("nan")'
p "NaN distance: validate" twinning validate $DEMO $W/nan.json
edit v999 'd["version"]=999'
p "version 999: validate" twinning validate $DEMO $W/v999.json
HC=instances/haicheng-like
( twinning solve $HC -o $W/cut --time-limit 60 >/dev/null 2>&1 & echo $! > $W/cut.pid; wait $(cat $W/cut.pid); echo "   Ctrl-C'd solve exit $?" ) &
sleep 7; pkill -INT -f "twinning solve $HC -o $W/cut"; wait
python -c "import json; d=json.load(open('$W/cut/plan.json')); print('   plan.json after Ctrl-C: status', d['status'], 'parts', d['parts'], 'interrupted', d['interrupted'], 'missing', d['missing'])"
p "interrupted run: validate" twinning validate $HC $W/cut/plan.json
p "  same plan: adopt" twinning adopt $HC $W/cut/plan.json --registry $W/reg2.db
p "  same plan: adopt --partial" twinning adopt $HC $W/cut/plan.json --registry $W/reg2.db --partial
printf '\xef\xbb\xbf' > $W/bom.json; cat $PLAN >> $W/bom.json
p "plan.json with a BOM: validate" twinning validate $DEMO $W/bom.json
echo "== Tracebacks"
mkdir -p $W/closed; cp -r $DEMO $W/closed/demo-county
python - $W/closed/demo-county $PLAN <<'PY'
import csv,json,sys
d=json.load(open(sys.argv[2],encoding="utf-8"))
gone=d["roster"][0]["to_school"] if d["roster"] else d["pairs"][0]["weak"]
rows=list(csv.DictReader(open(sys.argv[1]+"/schools.csv",encoding="utf-8")))
w=csv.DictWriter(open(sys.argv[1]+"/schools.csv","w",encoding="utf-8",newline=""),fieldnames=rows[0].keys())
w.writeheader(); [w.writerow(r) for r in rows if r["id"]!=gone]
for f in ("staff.csv","needs.csv","history.csv"):
    rows=list(csv.DictReader(open(sys.argv[1]+"/"+f,encoding="utf-8")))
    if not rows: continue
    key="school"
    w=csv.DictWriter(open(sys.argv[1]+"/"+f,"w",encoding="utf-8",newline=""),fieldnames=rows[0].keys())
    w.writeheader()
    for r in rows:
        if gone in (r.get("school"), r.get("from_school"), r.get("to_school")): continue
        if "willing" in r: r["willing"]=";".join(x for x in r["willing"].replace("、",";").split(";") if x and x!=gone)
        w.writerow(r)
print("closed",gone)
PY
p "school closed since the plan: validate" twinning validate $W/closed/demo-county $PLAN
p "school closed since the plan: report" twinning report $W/closed/demo-county $PLAN --html $W/rep.html --xlsx $W/rep.xlsx
p "school closed since the plan: explain" twinning explain $W/closed/demo-county $PLAN
p "school closed since the plan: adopt" twinning adopt $W/closed/demo-county $PLAN --registry $W/reg3.db
p "school closed since the plan: solve --baseline" twinning solve $W/closed/demo-county -o $W/s1 -q --time-limit 20 --baseline $PLAN
p "school closed since the plan: solve --with" twinning solve $W/closed/demo-county -o $W/s2 -q --time-limit 20 --parts roster --with $PLAN
twinning generate --schools 60 --staff 1500 --seed 5 -o $W/other -q >/dev/null 2>&1 || twinning generate --schools 60 --staff 1500 --seed 5 -o $W/other >/dev/null 2>&1
p "another county's plan as --baseline" twinning solve $W/other -o $W/s3 -q --time-limit 20 --baseline $PLAN
cp -r $DEMO $W/big; python - $W/big/schools.csv <<'PY'
import sys; p=sys.argv[1]; L=open(p,encoding="utf-8").read().splitlines(); h=L[0].split(","); r=L[1].split(","); r[h.index("students")]="99999999999999999999"; L[1]=",".join(r); open(p,"w",encoding="utf-8").write("\n".join(L)+"\n")
PY
p "students = 99999999999999999999" twinning solve $W/big -o $W/s4 -q
python -c "print('['*100000 + ']'*100000)" > $W/deep.json
p "instance JSON nested 100,000 deep" twinning solve $W/deep.json -o $W/s5 -q
p "--time-limit inf" twinning solve $DEMO -o $W/s6 -q --time-limit inf
mkdir -p $W/batch1; cp -r $DEMO $W/batch1/a; ln -s loop $W/batch1/loop
p "batch with a symlink loop" twinning batch $W/batch1/a $W/batch1/loop -o $W/b1 --time-limit 10
echo "   summary.csv rows: $(($(wc -l < $W/b1/summary.csv 2>/dev/null || echo 1)-1))"
echo "== Accepted silently before"
cp -r $DEMO $W/rate; printf '\n[rotation]\nrate = true\n' > $W/rate/policy.extra; python - $W/rate/policy.toml <<'PY'
import sys,re; p=sys.argv[1]; s=open(p,encoding="utf-8").read(); s=s.replace("[rotation]\n","[rotation]\nrate = true\n",1); open(p,"w",encoding="utf-8").write(s)
PY
rm $W/rate/policy.extra
p "rotation.rate = true" twinning solve $W/rate -o $W/s7 -q
cp -r $DEMO $W/dup; sed -n 2p $DEMO/needs.csv >> $W/dup/needs.csv
p "a needs row given twice" twinning solve $W/dup -o $W/s8 -q
cp -r $DEMO $W/asym; a=$(sed -n 2p $DEMO/schools.csv|cut -d, -f1); b=$(sed -n 3p $DEMO/schools.csv|cut -d, -f1); printf 'from,to,km\n%s,%s,3\n%s,%s,50\n' $a $b $b $a > $W/asym/distances.csv
p "distances 3 km one way, 50 km back" twinning solve $W/asym -o $W/s9 -q
cp -r $DEMO $W/self; printf 'from,to,km\n%s,%s,2\n' $a $a > $W/self/distances.csv
p "a school's distance to itself" twinning solve $W/self -o $W/s10 -q
python - $DEMO $W/formula.xlsx <<'PY'
import sys, pandas as pd, openpyxl
src=sys.argv[1]; out=sys.argv[2]
with pd.ExcelWriter(out) as w:
    for n in ("schools","staff","needs"):
        pd.read_csv(f"{src}/{n}.csv",dtype=str).to_excel(w,sheet_name=n,index=False)
wb=openpyxl.load_workbook(out); ws=wb["schools"]
for c in ws[1]:
    if c.value=="students": col=c.column
ws.cell(row=2,column=col).value="=1+1"; wb.save(out)
PY
p "Excel formula cell without a cached value" twinning solve $W/formula.xlsx -o $W/s11 -q
cp -r $DEMO $W/broken; rm $W/broken/staff.csv; ln -s /nonexistent/staff.csv $W/broken/staff.csv
p "staff.csv a broken symlink" twinning solve $W/broken -o $W/s12 -q
p "adopt --registry sqlite:// (in memory)" twinning adopt $DEMO $PLAN --registry sqlite://
p "history on a missing registry" twinning history --registry $W/none.db -o $W/h1
echo "   registry created: $( [ -e $W/none.db ] && echo yes || echo no)"
mkdir -p $W/x/demo $W/y; cp -r $DEMO/* $W/x/demo/; cp -r $DEMO $W/y/demo
p "batch of two folders with the same name" twinning batch $W/x/demo $W/y/demo -o $W/b2 --time-limit 10
echo "   plan folders: $(ls -d $W/b2/*/ 2>/dev/null | xargs -n1 basename | tr '\n' ' ')  summary rows: $(($(wc -l < $W/b2/summary.csv)-1))"
p "generate -o over an existing instance" twinning generate --schools 30 --staff 600 -o $W/x/demo
echo "== Wrong exits before"
for t in -1 0 nan; do p "--time-limit $t" twinning solve $DEMO -o $W/t$t -q --time-limit=$t; done
p "--workers -3" twinning solve $DEMO -o $W/w -q --workers=-3
p "batch --jobs 0" twinning batch $DEMO -o $W/b3 --jobs 0
twinning adopt $DEMO $PLAN --registry $W/reg4.db >/dev/null 2>&1
p "history --county nope" twinning history --registry $W/reg4.db --county nope -o $W/h2
p "explain --staff NOPE" twinning explain $DEMO $PLAN --staff NOPE
echo "inputs unchanged: $(git status --porcelain instances | wc -l) changed files under instances/"
