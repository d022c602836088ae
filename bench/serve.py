#!/usr/bin/env python3
"""Benchmark for `advocate serve`: with N synthetic partners (default 1000), time from saving a
file to the reload signal, over SAVES consecutive saves (default 200), and the server's memory
(RSS) along the way. KIND says which file is saved (default partner):
  partner    one partner file
  page       a guide page that defines no questions or themes and teaches no stage
  template   the template of the private partner pages (every partner's page is rendered again)
Usage: bench/serve.py [N] [SAVES] [KIND]"""
import os, re, socket, statistics, subprocess, sys, tempfile, time

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
saves = int(sys.argv[2]) if len(sys.argv) > 2 else 200
kind = sys.argv[3] if len(sys.argv) > 3 else "partner"
repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "advocate", "--example", "synth"], cwd=repo, check=True)
site = os.path.join(tempfile.mkdtemp(), "synth")
subprocess.run([os.path.join(repo, "target/release/examples/synth"), str(n), site], check=True, stdout=subprocess.DEVNULL)
server = subprocess.Popen([os.path.join(repo, "target/release/advocate"), "serve", "--port", "0"], cwd=site,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
address = None
for line in server.stdout:
    m = re.match(r"serving http://([\d.]+):(\d+)/", line)
    if m:
        address = (m.group(1), int(m.group(2)))
        break
events = socket.create_connection(address)
events.sendall(f"GET /__advocate/events HTTP/1.1\r\nHost: {address[0]}:{address[1]}\r\n\r\n".encode())
events.settimeout(60)
buffer = b""

def next_event():
    global buffer
    while b"data: " not in buffer or b"\n" not in buffer.split(b"data: ", 1)[1]:
        buffer += events.recv(4096)
    before, after = buffer.split(b"data: ", 1)
    event, buffer = after.split(b"\n", 1)
    return event.decode()

def rss_kb():
    with open(f"/proc/{server.pid}/status") as f:
        return int(next(l for l in f if l.startswith("VmRSS")).split()[1])

time.sleep(0.5)
path = os.path.join(site, {
    "partner": "content/partners/p00003.yaml",
    "page": "content/guide/11-about-this-method.md",
    "template": "themes/default/templates/partner.html",
}[kind])
original = open(path).read()

def edited(i):
    if kind == "partner":
        return original.replace('summary: "', f'summary: "save {i}: ', 1)
    if kind == "page":
        return original + f"\nSaved {i} times.\n"
    return original.replace("</h1>", f"</h1><!-- save {i} -->", 1)

times, memory = [], []
for i in range(saves):
    text = edited(i)
    start = time.perf_counter()
    with open(path, "w") as f:
        f.write(text)
    event = next_event()
    times.append((time.perf_counter() - start) * 1000)
    if event != "reload":
        print("unexpected event", event); break
    if i % max(1, saves // 5) == 0 or i == saves - 1:
        memory.append((i + 1, rss_kb()))
server.terminate()
print(f"{n} partners, {len(times)} saves of a {kind} file: save-to-reload median {statistics.median(times):.0f} ms, "
      f"p90 {sorted(times)[int(len(times) * 0.9)]:.0f} ms (includes the 20 ms debounce)")
print("server RSS after save k: " + ", ".join(f"{k}: {kb // 1024} MB" for k, kb in memory))
