"""When a theatre's ceasefire is agreed relative to its fronts (docs/models.md,
"Fronts"): runs seeds 0..N of a scenario with the release build, reads each
report's `fronts` series and outcomes, and prints each front's first side's
share at the start, when the ceasefire is agreed, in the 4 rounds before it
and at the end, and how often a ceasefire follows the first stalemate.

    python3 docs/examples/fronts-at-agreement.py scenarios/moscow-2015-12-15.json syria 100
"""
import json,subprocess,statistics as st,sys
B='target/release/entente'
scen=sys.argv[1]; theatre=sys.argv[2]; n=int(sys.argv[3])
rows=[]
for seed in range(n):
    out=f'/tmp/fronts-run-r{seed}.jsonl'
    subprocess.run([B,'run',scen,'--seed',str(seed),'--out',out,'--force'],check=True,capture_output=True)
    r=json.loads(subprocess.run([B,'report',out,'--format','json'],check=True,capture_output=True).stdout)
    agreed=[o['round'] for o in r['outcomes'] if o['outcome']==f'ceasefire_agreed:{theatre}']
    fr={f['id']:f for f in r['fronts']}
    ripe_rounds=sorted({p['round'] for f in r['fronts'] if f['theatre']==theatre for p in f['series'] if p['stalemate']})
    rows.append((agreed[0] if agreed else None, fr, ripe_rounds))
agreed=[a for a,_,_ in rows if a is not None]
print('runs',n,'agreed',len(agreed),'median round',st.median(agreed) if agreed else None)
for fid in rows[0][1]:
    f0=rows[0][1][fid]; side=f0['sides'][0]
    start=f0['series'][0]['control'][0]
    at=[fr[fid]['series'][a]['control'][0] for a,fr,_ in rows if a is not None]
    shift=[fr[fid]['series'][a]['control'][0]-fr[fid]['series'][max(0,a-4)]['control'][0] for a,fr,_ in rows if a is not None]
    end=[fr[fid]['series'][-1]['control'][0] for a,fr,_ in rows]
    print(f'{fid}: {side} start {start:.3f}; at agreement mean {st.mean(at):.3f}; moved in the 4 rounds before it {st.mean(shift):+.3f}; at the end {st.mean(end):.3f}')
ripe=[(a,rr) for a,_,rr in rows if rr]
follow=sum(1 for a,rr in ripe if a is not None and rr[0]<=a<=rr[0]+4)
print('runs with a stalemate',len(ripe),'first stalemate median', st.median([rr[0] for a,rr in ripe]) if ripe else None,'ceasefire within 4 rounds of the first stalemate',follow)
