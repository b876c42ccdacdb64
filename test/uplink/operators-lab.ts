// The multi-operator topology of the uplink namespace tests. Two routers (r1, r2) each reach three
// operator namespaces over per-operator bridges; the operators forward to a check-site namespace
// (203.0.113.10). Breaking an operator's forwarding leaves its gateway answering ping while its
// path to the check site is gone, which only probes *through* the gateway can notice. With
// `lan`, the routers also share a LAN (eth0 on bridge `lan`, 192.0.2.1 and .2) for VRRP.
//
//   r1 eth1 .14 ┐            ┌ op1 eth0 198.51.100.1/28  ─ eth1 203.0.113.1 ┐
//   r2 eth1 .13 ┴─ isp1 br0 ─┘                                               │
//   r1 eth2 .30 ┐            ┌ op2 eth0 198.51.100.17/28 ─ eth1 203.0.113.2 ─┼─ site br0 203.0.113.10/24
//   r2 eth2 .29 ┴─ isp2 br0 ─┘                                               │
//   r1 eth3 .46 ┐            ┌ op3 eth0 198.51.100.33/28 ─ eth1 203.0.113.3 ┘
//   r2 eth3 .45 ┴─ isp3 br0 ─┘
//   r1 eth0 192.0.2.1 ─ lan br0 ─ r2 eth0 192.0.2.2          (with `lan`)

import type { Lab } from '../lab/lab.js';

export const OPERATORS = [
  {
    role: 'op1',
    isp: 'isp1',
    gateway: '198.51.100.1',
    r1: '198.51.100.14',
    r2: '198.51.100.13',
    net: '198.51.100.0/28',
    inet: '203.0.113.1',
  },
  {
    role: 'op2',
    isp: 'isp2',
    gateway: '198.51.100.17',
    r1: '198.51.100.30',
    r2: '198.51.100.29',
    net: '198.51.100.16/28',
    inet: '203.0.113.2',
  },
  {
    role: 'op3',
    isp: 'isp3',
    gateway: '198.51.100.33',
    r1: '198.51.100.46',
    r2: '198.51.100.45',
    net: '198.51.100.32/28',
    inet: '203.0.113.3',
  },
] as const;

export const CHECK_SITE = '203.0.113.10';
export const LAN_ADDRESS = { r1: '192.0.2.1', r2: '192.0.2.2' } as const;

/** The three gateways as netgwm.yml lists them (operator n on ethn). */
export const NETGWM_GATEWAYS = `gateways:
  operator1: {ip: 198.51.100.1, dev: eth1, priority: 1}
  operator2: {ip: 198.51.100.17, dev: eth2, priority: 2}
  operator3: {ip: 198.51.100.33, dev: eth3, priority: 3}
`;

export interface IpRoute {
  dst: string;
  gateway?: string;
  dev?: string;
}

export interface IpRule {
  priority: number;
  fwmark?: string;
  dst?: string;
  table?: string;
}

export interface OperatorsLabOptions {
  /** Also a LAN between r1 and r2 for VRRP. */
  lan?: boolean;
  /** Only r1 (the compatibility tests need one router). */
  singleRouter?: boolean;
}

export async function buildOperatorsLab(lab: Lab, options: OperatorsLabOptions = {}): Promise<void> {
  const routers = options.singleRouter ? ['r1'] : ['r1', 'r2'];
  await lab.addSwitch('site');
  await lab.addAddress('site', 'br0', `${CHECK_SITE}/24`);
  for (const router of routers) await lab.addNamespace(router);
  if (options.lan) {
    await lab.addSwitch('lan');
    await lab.attach('r1', 'eth0', 'lan', `${LAN_ADDRESS.r1}/24`);
    await lab.attach('r2', 'eth0', 'lan', `${LAN_ADDRESS.r2}/24`);
  }
  for (const [index, op] of OPERATORS.entries()) {
    const dev = `eth${index + 1}`;
    await lab.addSwitch(op.isp);
    await lab.addNamespace(op.role);
    await lab.attach(op.role, 'eth0', op.isp, `${op.gateway}/28`);
    await lab.attach(op.role, 'eth1', 'site', `${op.inet}/24`);
    await lab.exec(op.role, ['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    await lab.attach('r1', dev, op.isp, `${op.r1}/28`);
    if (!options.singleRouter) await lab.attach('r2', dev, op.isp, `${op.r2}/28`);
    // The check site answers each router address back through the operator it came from.
    await lab.ip('site', ['route', 'add', op.net, 'via', op.inet]);
  }
}

/** Operator n's gateway still answers ping, but nothing goes through it any more (or again). */
export async function setOperatorForwarding(lab: Lab, operator: 1 | 2 | 3, on: boolean): Promise<void> {
  await lab.exec(`op${operator}`, ['sysctl', '-qw', `net.ipv4.ip_forward=${on ? 1 : 0}`]);
}

export async function defaultRoute(lab: Lab, role: string): Promise<IpRoute | undefined> {
  const { stdout } = await lab.ip(role, ['-j', 'route', 'show', 'default']);
  return (JSON.parse(stdout || '[]') as IpRoute[])[0];
}

export async function ipRules(lab: Lab, role: string): Promise<IpRule[]> {
  const { stdout } = await lab.ip(role, ['-j', 'rule', 'show']);
  return JSON.parse(stdout || '[]') as IpRule[];
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls the router's default route until it goes via `gateway`; returns when (epoch ms), bounded. */
export async function waitForRoute(
  lab: Lab,
  role: string,
  gateway: string,
  boundMs: number,
): Promise<number> {
  const started = Date.now();
  while (Date.now() - started <= boundMs) {
    if ((await defaultRoute(lab, role))?.gateway === gateway) return Date.now();
    await sleep(25);
  }
  throw new Error(
    `${role}: default route not via ${gateway} within ${boundMs} ms (is ${JSON.stringify(await defaultRoute(lab, role))})`,
  );
}

/** Operator n drops everything for `site` (a blackhole route beyond its gateway), or stops doing so. */
export async function setSiteBlackhole(
  lab: Lab,
  operator: 1 | 2 | 3,
  site: string,
  on: boolean,
): Promise<void> {
  await lab.ip(`op${operator}`, ['route', on ? 'add' : 'del', 'blackhole', `${site}/32`]);
}
