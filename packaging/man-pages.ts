// The hand-written parts of vrrpd(8) and vrrpctl(8). Options and commands come from the programs
// themselves (packaging/man-page.ts); exit statuses come from the constants the code returns.

import { KEEPALIVED_EXIT } from '../src/cli/config-commands.js';
import { vrrpctlDefinitions, VrrpctlExit } from '../src/cli/vrrpctl-program.js';
import {
  DEFAULT_CONFIG_FILE,
  DEFAULT_PID_FILE,
  DEFAULT_STATE_DIR,
  vrrpdProgram,
} from '../src/cli/vrrpd-program.js';
import { DEFAULT_SOCKET_PATH, SOCKET_ENV_VAR } from '../src/control/protocol.js';
import { renderManPage, type ManSection } from './man-page.js';

/** What each keepalived exit status means for vrrpd (keyed by the constant, so none is forgotten). */
const VRRPD_EXIT_MEANING: Record<keyof typeof KEEPALIVED_EXIT, string> = {
  OK: 'the configuration is valid (with -t), or the daemon stopped cleanly on SIGTERM or SIGINT',
  NO_MEMORY: 'the daemon could not stop cleanly before its stop deadline',
  PROGRAM_ERROR: 'an unexpected internal error (the message and stack trace are on stderr)',
  FATAL: 'a fatal start-up error',
  CONFIG: 'the configuration cannot be read or used (the daemon does not start)',
  CONFIG_TEST: 'with -t: the configuration has errors, each printed as FILE:LINE',
  CONFIG_TEST_SECURITY: 'with -t: notify or track scripts fail the script security checks',
  NO_CONFIG: 'no configuration',
};

const VRRPCTL_EXIT_MEANING: Record<keyof typeof VrrpctlExit, string> = {
  ok: 'the command succeeded',
  failed: 'vrrpd answered with an error (unknown instance, reload rejected, …)',
  usage: 'the command line is wrong (the reason is printed with the usage)',
  unreachable: 'vrrpd could not be reached: not running, wrong socket, or no permission',
};

function exitItems<K extends string>(
  values: Record<K, number>,
  meaning: Record<K, string>,
): Array<[string, string]> {
  return (Object.keys(values) as K[])
    .sort((a, b) => values[a] - values[b])
    .map((key) => [String(values[key]), meaning[key]]);
}

const seeAlsoVrrpd: ManSection = {
  title: 'see also',
  blocks: [
    {
      paragraph:
        'vrrpctl(8), keepalived.conf(5), systemctl(1), journalctl(1); the configuration reference in ' +
        '/usr/share/doc/vrrpd/config-reference.md and the example configurations in ' +
        '/usr/share/doc/vrrpd/examples.',
    },
  ],
};

export function vrrpdManPage(version: string, date: string): string {
  return renderManPage({
    program: vrrpdProgram(),
    section: 8,
    date,
    version,
    summary: 'VRRP router-redundancy daemon, compatible with keepalived',
    description: [
      'vrrpd runs the VRRP half of keepalived: it reads an existing keepalived.conf (vrrp_instance, ' +
        'vrrp_sync_group, vrrp_script, track_file, virtual addresses, routes and rules), speaks ' +
        "keepalived's wire protocol (VRRPv2 and v3, unicast and multicast) and runs notify scripts " +
        'with the arguments keepalived passes. It can also follow NetGWM-style uplink groups, or run ' +
        'only those (--uplinks-only).',
      'It runs in the foreground and logs JSON lines to standard output (human-readable on a ' +
        'terminal); under systemd (vrrpd.service, Type=notify) the journal keeps them. Options for the ' +
        'service go in /etc/default/vrrpd.',
    ],
    hiddenOptionsTitle: 'keepalived compatibility',
    hiddenOptionsIntro:
      'These keepalived options are accepted and change nothing, so an existing KEEPALIVED_OPTIONS ' +
      'line works unchanged. They are not listed by --help.',
    sections: [
      {
        title: 'signals',
        blocks: [
          {
            items: [
              [
                'SIGHUP',
                'Re-read the configuration. Unchanged instances keep their state; a configuration with ' +
                  'errors is rejected whole and the running one stays (vrrpctl reload says why).',
              ],
              [
                'SIGTERM, SIGINT',
                'Stop: every MASTER advertises priority 0 so a backup takes over at once, keeps its ' +
                  'virtual addresses until the new master is heard (at once with --immediate-release), ' +
                  'runs its stop scripts, then vrrpd exits.',
              ],
            ],
          },
        ],
      },
      {
        title: 'exit status',
        blocks: [
          { paragraph: "vrrpd exits with keepalived's statuses:" },
          { items: exitItems(KEEPALIVED_EXIT, VRRPD_EXIT_MEANING) },
        ],
      },
      {
        title: 'environment',
        blocks: [{ items: [[SOCKET_ENV_VAR, 'control socket path, when --socket is not given']] }],
      },
      {
        title: 'files',
        blocks: [
          {
            items: [
              [DEFAULT_CONFIG_FILE, 'default configuration (keepalived.conf syntax)'],
              [
                '/etc/default/vrrpd',
                'options for vrrpd.service: VRRPD_CONFIG (for example /etc/keepalived/keepalived.conf ' +
                  'when migrating from keepalived), VRRPD_OPTIONS, VRRPD_SOCKET',
              ],
              [DEFAULT_SOCKET_PATH, 'control socket, used by vrrpctl(8)'],
              [DEFAULT_PID_FILE, 'pid file'],
              [DEFAULT_STATE_DIR, 'state directory'],
              ['/lib/systemd/system/vrrpd.service', 'the hardened systemd unit'],
            ],
          },
        ],
      },
      {
        title: 'examples',
        blocks: [
          {
            code: [
              'vrrpd -t -f /etc/keepalived/keepalived.conf   # check a keepalived configuration',
              'vrrpd --dump-config -f /etc/vrrpd/vrrpd.conf  # the configuration as vrrpd reads it',
              'systemctl reload vrrpd                        # apply an edited configuration',
            ],
          },
        ],
      },
      seeAlsoVrrpd,
    ],
  });
}

export function vrrpctlManPage(version: string, date: string): string {
  return renderManPage({
    program: vrrpctlDefinitions(),
    section: 8,
    date,
    version,
    summary: 'query and control a running vrrpd',
    description: [
      "vrrpctl talks to vrrpd(8) over its unix control socket (root only unless vrrpd's " +
        '--socket-group allows a group). With --json, status and stats print machine-readable ' +
        'output for scripts and monitoring; its fields are only ever added to, never renamed.',
    ],
    sections: [
      {
        title: 'exit status',
        blocks: [{ items: exitItems(VrrpctlExit, VRRPCTL_EXIT_MEANING) }],
      },
      {
        title: 'environment',
        blocks: [{ items: [[SOCKET_ENV_VAR, 'control socket path, when --socket is not given']] }],
      },
      { title: 'files', blocks: [{ items: [[DEFAULT_SOCKET_PATH, "vrrpd's control socket"]] }] },
      {
        title: 'examples',
        blocks: [
          {
            code: [
              'vrrpctl status                 # every instance: state, priority, master, VIPs',
              'vrrpctl status GATEWAY --json  # one instance, for scripts',
              'vrrpctl reload                 # like SIGHUP, but says whether it was accepted',
            ],
          },
        ],
      },
      { title: 'see also', blocks: [{ paragraph: 'vrrpd(8), keepalived.conf(5)' }] },
    ],
  });
}
