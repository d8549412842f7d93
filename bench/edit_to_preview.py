#!/usr/bin/env python3
"""Edit-to-preview of `zongjie serve` over HTTP (issue 17: under 300 ms for the 336-case example).

    cargo build --release
    mkdir -p /tmp/sv && cp -r data/qingshanqu /tmp/sv/
    target/release/zongjie serve /tmp/sv --port 8766 --no-open > /tmp/sv.log &
    python3 bench/edit_to_preview.py /tmp/sv.log

Each of 15 rounds sends the form's unsaved 结束语 to /preview (as the page's script does a
moment after the last keystroke) and fetches page 1's SVG: the time a user waits once the
script asks.
"""
import sys
import urllib.request, urllib.parse, re, time, statistics, http.cookiejar
log=open(sys.argv[1] if len(sys.argv) > 1 else '/tmp/sv.log').read(); url=re.search(r'http://\S+', log).group(0)
cj=http.cookiejar.CookieJar(); op=urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cj))
op.open(url).read()
base=url.split('/?')[0]; rel=urllib.parse.quote('qingshanqu/报告.yaml')
ts=[]
for i in range(15):
    body=urllib.parse.urlencode({'结束语': f'第{i}次修改后的结束语。'}).encode()
    t=time.perf_counter()
    req=urllib.request.Request(f'{base}/preview?p={rel}', data=body, headers={'Origin': base, 'Content-Type':'application/x-www-form-urlencoded'})
    facts=__import__('json').loads(op.open(req).read())
    svg=op.open(base+facts['page']+'&n=0').read()
    ts.append(time.perf_counter()-t)
assert facts['ok'] and svg.startswith(b'<svg') or b'<svg' in svg[:200], facts
print("pages", facts['pages'], "edit-to-preview median %.0f ms, min %.0f, max %.0f" % (statistics.median(ts)*1000, min(ts)*1000, max(ts)*1000))
