// `npm run demo` (as root): the seed article's two routers in network namespaces. Builds the lab,
// starts two vrrpd (unicast, auth PASS, floating LAN gateway 192.0.2.254), shows who is master,
// kills the master while a client pings the VIP every 10 ms, prints the outage the client saw,
// restarts the old master, shows it preempting back, and cleans everything up.

import { execFileSync } from 'node:child_process';
import { formatStatusSummary } from '../../src/control/format.js';
import { masterDownInterval, skewTime } from '../../src/vrrp/index.js';
import { DaemonSet, keepalivedConfig, status, waitForState, type RunningDaemon } from './daemons.js';
import { createRouterSegment } from './topology.js';

const VIP = '192.0.2.254';

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

function routerConfig(self: string, peer: string, priority: number): string {
  // The seed's keepalived.conf, on documentation addresses (examples/router1 and router2).
  return keepalivedConfig([
    {
      name: 'ROUTEUR_1',
      state: priority > 100 ? 'MASTER' : 'BACKUP',
      vrid: 1,
      priority,
      unicastSrc: self,
      unicastPeers: [peer],
      authPass: 'password',
      vips: [`${VIP}/24`],
    },
  ]);
}

async function show(title: string, daemons: Array<[string, RunningDaemon]>): Promise<void> {
  say(`\n== ${title}`);
  for (const [role, daemon] of daemons) {
    const snapshot = await status(daemon);
    if (!snapshot) {
      say(`${role}: (not running)`);
      continue;
    }
    const table = formatStatusSummary(snapshot, { now: Date.now(), color: false }).trimEnd().split('\n');
    say(`${role}: ${table[0]}`);
    for (const line of table.slice(1)) say(`${' '.repeat(role.length + 2)}${line}`);
  }
}

async function main(): Promise<number> {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    say('npm run demo needs root (it builds network namespaces): run it with sudo.');
    return 1;
  }
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    say('npm run demo needs iproute2 (`ip`): run `sudo bash scripts/setup.sh` first.');
    return 1;
  }
  const segment = await createRouterSegment();
  const { lab } = segment;
  const daemons = new DaemonSet(lab);
  try {
    say(
      'Lab: routers r1 (192.0.2.1, priority 200) and r2 (192.0.2.2, priority 100), client c1 (192.0.2.100),',
    );
    say(`one bridge; floating gateway ${VIP}; VRRP by unicast with auth PASS, advert_int 1.`);
    let r1 = daemons.start('vrrpd', 'r1', routerConfig('192.0.2.1', '192.0.2.2', 200));
    const r2 = daemons.start('vrrpd', 'r2', routerConfig('192.0.2.2', '192.0.2.1', 100));
    const elected = await waitForState(r1, 'MASTER', 8000, 'ROUTEUR_1');
    if (elected === null) throw new Error('r1 did not become MASTER');
    await waitForState(r2, 'BACKUP', 2000, 'ROUTEUR_1');
    await show('Election (r1 has the higher priority)', [
      ['r1', r1],
      ['r2', r2],
    ]);
    say(
      `c1 reaches ${VIP}: ${(await lab.pingOnce('c1', VIP, 1000)) ? 'yes' : 'no'}; c1's ARP entry: ${await lab.neighbourMac('c1', VIP)} (r1 is ${await lab.macOf('r1', 'eth0')})`,
    );

    // A dead router, not just a dead daemon: a SIGKILLed daemon leaves its VIP configured, and the
    // old master's kernel would keep answering the client. Pull r1's cable too.
    say('\n== r1 dies (kill -9 of vrrpd and its LAN port cut) while c1 pings the VIP every 10 ms');
    const prober = lab.startProber('c1', VIP, { intervalMs: 10, durationMs: 9000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await lab.cut('r1');
    await daemons.stop(r1, 'SIGKILL');
    const tookOver = await waitForState(r2, 'MASTER', 8000, 'ROUTEUR_1');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const report = await prober.stop();
    const bound = masterDownInterval(2, 100, 100);
    say(
      `r2 became MASTER ${tookOver === null ? 'never (!)' : 'after the crash'}; c1's ARP entry now: ${await lab.neighbourMac('c1', VIP)} (r2 is ${await lab.macOf('r2', 'eth0')})`,
    );
    say(
      `outage seen by c1: ${report.longestGapMs} ms (${report.lost} of ${report.sent} pings lost); protocol bound Master_Down_Interval = ${bound} ms`,
    );
    await show('After the crash', [['r2', r2]]);

    say('\n== r1 comes back (cable in, vrrpd restarted: its stale VIP is removed first), preemption back');
    const prober2 = lab.startProber('c1', VIP, { intervalMs: 10, durationMs: 9000 });
    await lab.heal('r1');
    r1 = daemons.start('vrrpd', 'r1', routerConfig('192.0.2.1', '192.0.2.2', 200));
    const preempted = await waitForState(r1, 'MASTER', 8000, 'ROUTEUR_1');
    await waitForState(r2, 'BACKUP', 2000, 'ROUTEUR_1');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const report2 = await prober2.stop();
    say(
      `r1 ${preempted === null ? 'did not preempt (!)' : 'preempted back'}; outage seen by c1: ${report2.longestGapMs} ms (${report2.lost} lost)`,
    );
    await show('After preemption', [
      ['r1', r1],
      ['r2', r2],
    ]);

    say('\n== graceful stop of r1 (SIGTERM: priority 0 advert, VIP released)');
    const prober3 = lab.startProber('c1', VIP, { intervalMs: 10, durationMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exit = await daemons.stop(r1, 'SIGTERM');
    await waitForState(r2, 'MASTER', 4000, 'ROUTEUR_1');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const report3 = await prober3.stop();
    say(
      `r1 exited with ${exit}; outage seen by c1: ${report3.longestGapMs} ms (${report3.lost} lost); protocol bound Skew_Time = ${skewTime(2, 100, 100)} ms`,
    );
    return 0;
  } finally {
    await daemons.cleanup();
    await lab.teardown();
    say('\nLab removed (namespaces deleted, daemons stopped).');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
