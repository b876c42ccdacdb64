// The catalogue of the log lines people grep for and alert on: each has a stable code (the `code`
// field of its JSON line), a level, and a message template whose {placeholders} are filled from
// the line's own fields. docs/log-messages.md is rendered from this table (a test keeps it in
// step), so operators can look a code up. Debug chatter stays outside the catalogue.

import type { LogFields, Logger, LogLevel } from './log.js';
import { fillTemplate, logMessage as m, type LogMessage } from './log-message.js';
import { UPLINK_LOG } from './messages-uplinks.js';

export type { LogMessage } from './log-message.js';

const CORE_LOG = {
  // Lifecycle
  started: m(
    'VRRPD_STARTED',
    'info',
    'vrrpd started',
    'The daemon is up: configuration loaded, sockets open, systemd told READY (`mode` is `uplinks-only` for `vrrpd --uplinks-only`).',
  ),
  stopping: m(
    'VRRPD_STOPPING',
    'info',
    'stopping: releasing virtual addresses',
    'SIGTERM/SIGINT received; MASTER instances send priority 0 and remove their addresses.',
  ),
  stopped: m('VRRPD_STOPPED', 'info', 'vrrpd stopped', 'Clean exit (status 0).'),
  stopDeadline: m(
    'VRRPD_STOP_DEADLINE',
    'error',
    'shutdown deadline reached: exiting now',
    'Stopping took longer than the deadline (a STOP script or the kernel hung); the process exits with status 1.',
  ),
  stopError: m(
    'VRRPD_STOP_ERROR',
    'error',
    'error while stopping',
    'Something failed while releasing resources at stop; exit status 1.',
  ),
  configRejectedAtStart: m(
    'VRRPD_CONFIG_INVALID',
    'error',
    'configuration has errors: not starting',
    'The configuration test failed; the errors are on stderr and in `vrrpd -t`. Exit status 4, as keepalived.',
  ),
  netnsEntered: m(
    'VRRPD_NETNS',
    'info',
    'running in network namespace {netns}',
    'net_namespace (or `vrrpd -s`): the daemon entered /run/netns/{netns} at start; its scripts run there too. `runDirectory` is where its pid file and control socket are seen from outside (`vrrpctl --netns {netns}` finds it).',
  ),
  netnsRunDirectory: m(
    'VRRPD_NETNS_RUN_DIR',
    'warn',
    'network namespace {netns}: no private /run/vrrpd ({err}); the pid file and control socket stay at their usual paths',
    'The mount namespace step failed (as in keepalived, best effort): two namespaced daemons would then share /run/vrrpd; give each its own --socket and --pid, or let vrrpd mount (CAP_SYS_ADMIN).',
  ),
  netnsFailed: m(
    'VRRPD_NETNS_FAILED',
    'error',
    'cannot run in network namespace {netns}: not starting',
    'The namespace net_namespace (or `-s`) names does not exist, or vrrpd may not enter it (CAP_SYS_ADMIN; the shipped systemd unit forbids it: see the README). Exit status 4; keepalived 2.2.7 exits 0 here.',
  ),
  reloadRequested: m(
    'VRRPD_RELOAD',
    'info',
    'SIGHUP: reloading the configuration',
    'A reload was requested (SIGHUP or `vrrpctl reload`).',
  ),
  reloaded: m(
    'VRRPD_RELOADED',
    'info',
    'configuration reloaded',
    'A reload was applied: `kept` instances kept their state, `added` started, `removed` stopped.',
  ),
  reloadFailed: m(
    'VRRPD_E_RELOAD',
    'error',
    'reload failed: {err}',
    'Applying a valid configuration failed half-way (e.g. the kernel refused a request); instances keep running with what was applied. Check `vrrpctl status`, then reload again.',
  ),
  reloadRejected: m(
    'VRRPD_RELOAD_REJECTED',
    'error',
    'new configuration rejected: keeping the running one',
    'The new file has errors (see `vrrpctl reload` or `vrrpd -t`); nothing changed.',
  ),
  nativeMissing: m(
    'VRRPD_NATIVE_MISSING',
    'error',
    'native addon not available: no gratuitous ARP, no sd_notify',
    'The bundled N-API addon could not be loaded; reinstall or rebuild (`npm ci`).',
  ),
  sdNotifyFailed: m(
    'VRRPD_SD_NOTIFY',
    'warn',
    'sd_notify failed',
    'Telling systemd our state failed; check NotifySocket / the unit type.',
  ),
  controlSocketError: m(
    'VRRPD_CONTROL_SOCKET',
    'warn',
    'control socket error',
    'A `vrrpctl` connection failed; the daemon goes on.',
  ),
  metricsError: m(
    'VRRPD_METRICS',
    'warn',
    'metrics endpoint error',
    'The Prometheus endpoint failed to serve a request.',
  ),
  metricsListening: m(
    'VRRPD_METRICS_LISTENING',
    'info',
    'metrics endpoint listening',
    'The Prometheus endpoint is up.',
  ),
  schedulingApplied: m(
    'VRRPD_SCHEDULING',
    'info',
    '{setting} applied',
    'vrrp_priority / vrrp_rt_priority took effect.',
  ),
  schedulingFailed: m(
    'VRRPD_SCHEDULING_FAILED',
    'warn',
    '{setting} could not be applied',
    'The process priority could not be changed (capabilities?).',
  ),
  noSwapNotApplied: m(
    'VRRPD_NO_SWAP',
    'warn',
    'vrrp_no_swap is not applied: V8 aborts with locked memory; keep vrrpd out of swap with MemorySwapMax=0 in its systemd unit',
    'See README: mlockall makes Node abort; the shipped unit sets MemorySwapMax=0 instead.',
  ),
  // VRRP
  transition: m(
    'VRRPD_TRANSITION',
    'info',
    '({instance}) Entering {to} STATE',
    'An instance changed state (keepalived’s wording); `from`, `reason`, `priority`, `master` say why.',
  ),
  syncGroupState: m(
    'VRRPD_SYNC_GROUP',
    'info',
    'sync group {group} is {state}',
    'A sync group changed state as a whole.',
  ),
  internalError: m(
    'VRRPD_E_STATE_MACHINE',
    'error',
    'state machine error',
    'A bug: the state machine threw. The event was ignored and the daemon goes on; please report it with the line.',
  ),
  internalFailure: m(
    'VRRPD_E_INTERNAL',
    'error',
    'internal error ({where}): {err}',
    'A bug outside the state machine (the stack is in the line). vrrpd goes on running; please report the line.',
  ),
  noSourceAddress: m(
    'VRRPD_NO_SOURCE_ADDRESS',
    'error',
    'interface {interface} has no address to send adverts from yet (IPv6: no usable link-local address; or set unicast_src_ip): FAULT until one appears',
    'keepalived also leaves such an instance in FAULT.',
  ),
  sourceAddressFound: m(
    'VRRPD_SOURCE_ADDRESS',
    'info',
    '({instance}) sends its adverts from {source} on {interface}',
    'An instance that had no address to send from (IPv6: the link-local address was still tentative) found one and leaves its FAULT.',
  ),
  interfaceMissing: m(
    'VRRPD_INTERFACE_MISSING',
    'error',
    'interface does not exist: its instances stay in FAULT',
    'The instance’s interface is not there (yet); `vrrpd -t` reports it too.',
  ),
  interfaceState: m(
    'VRRPD_INTERFACE',
    'info',
    'interface {interface} {state}',
    'A link went up or down (admin state and carrier).',
  ),
  socketOpenFailed: m(
    'VRRPD_SOCKET_OPEN',
    'error',
    'cannot open the VRRP socket',
    'Raw socket could not be opened (CAP_NET_RAW?).',
  ),
  socketError: m('VRRPD_SOCKET', 'warn', 'advert socket error', 'Sending or receiving an advert failed.'),
  dropped: m(
    'VRRPD_DROP',
    'warn',
    'dropped packet ({reason}): {detail}',
    'A received packet failed the validation ladder; counted per reason in `vrrpctl status`. Logged once per reason and peer, at most 5 per reason per minute.',
  ),
  acceptedWithWarning: m(
    'VRRPD_ADVERT_WARNING',
    'warn',
    'accepted advert with {reason}: {detail}',
    'An advert broke a rule keepalived tolerates (e.g. another address list); counted and accepted.',
  ),
  oldUnicastChecksum: m(
    'VRRPD_OLD_UNICAST_CHECKSUM',
    'warn',
    '{instance}: a unicast peer uses the VRRPv3 checksum of keepalived before 1.3.6; this instance now sends and expects it',
    'keepalived’s automatic switch (no old_unicast_checksum keyword): the peer’s checksum covers the multicast group instead of the unicast address. Lasts until a reload; upgrade the peer, or write old_unicast_checksum (or `never` to refuse it).',
  ),
  dropsSuppressed: m(
    'VRRPD_DROPS_SUPPRESSED',
    'warn',
    '{count} more packets with {reason} were not logged',
    'The per-reason log budget hid this many drops; the counters have them all.',
  ),
  // Planned maintenance (vrrpctl handover / resume / demote)
  handover: m(
    'VRRPD_HANDOVER',
    'info',
    '({instance}) handover requested by {by}: leaving MASTER make-before-break, held in BACKUP',
    'A planned handover: the instance resigns without dropping its addresses until a new master speaks, then stays BACKUP until `vrrpctl resume` (or `until`).',
  ),
  resumed: m(
    'VRRPD_RESUMED',
    'info',
    '({instance}) resumed by {by}: running as configured',
    'Maintenance and any runtime priority ended.',
  ),
  priorityOverride: m(
    'VRRPD_PRIORITY_OVERRIDE',
    'info',
    '({instance}) priority set to {priority} by {by}',
    'A runtime priority (`vrrpctl demote`) replaces the configured one until `vrrpctl resume`; it survives reloads and restarts.',
  ),
  adminStateUnreadable: m(
    'VRRPD_RUNTIME_STATE',
    'warn',
    'runtime state file: {problem}',
    'Part of runtime-state.json (holds, priority overrides) could not be read and was ignored.',
  ),
  adminStateWriteFailed: m(
    'VRRPD_RUNTIME_STATE_WRITE',
    'error',
    'cannot save the runtime state: {err}',
    'A hold or priority override will not survive a restart (state directory not writable?).',
  ),
  releaseWaiting: m(
    'VRRPD_RELEASE_WAIT',
    'info',
    'waiting up to {waitMs} ms for a new master before releasing the addresses',
    'Stopping make-before-break: the priority-0 advert went out; the addresses stay until a new master speaks.',
  ),
  // Addresses, routes, GARP
  leftoversRemoved: m(
    'VRRPD_LEFTOVERS',
    'warn',
    'removing virtual addresses left by a previous run',
    'A previous vrrpd was killed while MASTER; its addresses are removed before electing.',
  ),
  staticApplied: m(
    'VRRPD_STATIC',
    'info',
    'static addresses, routes and rules: {added} added, {removed} removed ({when})',
    'static_ipaddress / static_routes / static_rules were installed (start, reload) or removed (stop), as keepalived does whatever the VRRP state.',
  ),
  staticFailed: m(
    'VRRPD_STATIC_FAILED',
    'warn',
    'static {kind} {entry}: {op} failed: {err}',
    'The kernel refused a static entry (or its interface is missing); the others are applied anyway, as keepalived carries on.',
  ),
  staticRestored: m(
    'VRRPD_STATIC_RESTORED',
    'info',
    'restoring deleted static address {address}',
    'Someone removed a static_ipaddress entry (without no_track): it is added again, as keepalived does.',
  ),
  vmacReady: m(
    'VRRPD_VMAC',
    'info',
    'VMAC {vmac} on {base} ({mac}) {how} for {instance}',
    'use_vmac / use_vmac_addr: the macvlan holding the virtual addresses was created, or one a previous run left was adopted (keepalived: "Found matching interface").',
  ),
  vmacRemoved: m(
    'VRRPD_VMAC_REMOVED',
    'info',
    'VMAC {vmac} removed',
    'The instance using it stopped or left the configuration; keepalived deletes its VMACs the same way.',
  ),
  vmacFailed: m(
    'VRRPD_VMAC_FAILED',
    'warn',
    'VMAC {vmac} on {base} for {instance}: {err}',
    'The VMAC could not be created (or a step after creating it failed): the instance keeps its addresses on the base interface, without the virtual MAC.',
  ),
  stackedLinkLost: m(
    'VRRPD_VMAC_LOST',
    'warn',
    '{link} on {base} for {instance} was deleted; made again once {base} exists',
    'The kernel deleted a VMAC or ipvlan of ours (its base interface went, or someone deleted it): the instance is in FAULT until it is made again with the same name, MAC and address (keepalived recreates its VMACs the same way).',
  ),
  stackedLinkRestored: m(
    'VRRPD_VMAC_RESTORED',
    'info',
    '{link} on {base} made again for {instance}',
    'A VMAC or ipvlan the kernel had deleted was made again on its (returned) base: the instance leaves its FAULT and puts its addresses back when it is MASTER.',
  ),
  vmacListFailed: m(
    'VRRPD_VMAC_LIST',
    'warn',
    'cannot list {what}: {err}',
    'Before creating VMACs the existing macvlans and interfaces are listed, to adopt what a previous run left; without the list a leftover may be created again and fail.',
  ),
  vmacRemoveFailed: m(
    'VRRPD_VMAC_REMOVE',
    'warn',
    'cannot remove VMAC {vmac}: {err}',
    'The kernel refused to delete a VMAC; remove it by hand (`ip link del`) if it stays.',
  ),
  ipvlanRemoveFailed: m(
    'VRRPD_IPVLAN_REMOVE',
    'warn',
    'cannot remove ipvlan {ipvlan}: {err}',
    'The kernel refused to delete a use_ipvlan interface; remove it by hand (`ip link del`) if it stays.',
  ),
  vmacSysctl: m(
    'VRRPD_VMAC_SYSCTL',
    'info',
    'VMAC sysctl: {notice}',
    'A sysctl keepalived also sets around VMACs (arp_ignore, arp_filter, rp_filter, accept_local…) was changed or restored, or could not be.',
  ),
  ipvlanReady: m(
    'VRRPD_IPVLAN',
    'info',
    'ipvlan {ipvlan} on {base} ({kind}) {how} for {instance}',
    'use_ipvlan: the L2 ipvlan carrying the adverts (and its address) was created, or one a previous run left was adopted (keepalived: "Found matching interface").',
  ),
  ipvlanRemoved: m(
    'VRRPD_IPVLAN_REMOVED',
    'info',
    'ipvlan {ipvlan} removed',
    'The instance using it stopped or left the configuration; keepalived deletes its ipvlans the same way.',
  ),
  ipvlanFailed: m(
    'VRRPD_IPVLAN_FAILED',
    'warn',
    'ipvlan {ipvlan} on {base} for {instance}: {err}',
    'The ipvlan could not be created (or its address or disable_ipv6 could not be set): without it the instance sends from its interface, as it would without use_ipvlan.',
  ),
  localIgmp: m(
    'VRRPD_LOCAL_IGMP',
    'info',
    'disable_local_igmp: {notice}',
    'net.ipv4.igmp_link_local_mcast_reports was set to 0 at start or restored at stop (keepalived does the same), or could not be.',
  ),
  vipsReloaded: m(
    'VRRPD_VIPS_RELOADED',
    'info',
    'virtual addresses updated by reload',
    'A reload added or removed addresses of a MASTER instance.',
  ),
  instanceRemoved: m(
    'VRRPD_INSTANCE_REMOVED',
    'info',
    'instance removed by reload',
    'The instance left the configuration (or changed identity); it released mastership first.',
  ),
  vipRemovedByOther: m(
    'VRRPD_VIP_REMOVED',
    'warn',
    'virtual address removed by someone else while MASTER: releasing mastership (priority 0) and re-electing',
    'See README "a VIP deleted by hand".',
  ),
  vipRemovedNoTrack: m(
    'VRRPD_VIP_REMOVED_NO_TRACK',
    'warn',
    'virtual address removed by someone else (no_track: staying MASTER)',
    'The address is `no_track`: only logged.',
  ),
  vipNoInterface: m(
    'VRRPD_VIP_NO_INTERFACE',
    'error',
    'cannot add virtual address: no such interface',
    'The address names a device (`dev`) that does not exist.',
  ),
  vipAddFailed: m(
    'VRRPD_VIP_ADD',
    'error',
    'cannot add virtual address',
    'The kernel refused the address (or the device is missing).',
  ),
  vipRemoveFailed: m(
    'VRRPD_VIP_REMOVE',
    'error',
    'cannot remove virtual address',
    'The kernel refused to remove the address.',
  ),
  routeAddFailed: m(
    'VRRPD_ROUTE_ADD',
    'error',
    'cannot add virtual route',
    'A virtual_routes entry could not be installed.',
  ),
  routeRemoveFailed: m(
    'VRRPD_ROUTE_REMOVE',
    'warn',
    'cannot remove virtual route',
    'A virtual_routes entry could not be removed.',
  ),
  ruleAddFailed: m(
    'VRRPD_RULE_ADD',
    'error',
    'cannot add virtual rule',
    'A virtual_rules entry could not be installed.',
  ),
  ruleRemoveFailed: m(
    'VRRPD_RULE_REMOVE',
    'warn',
    'cannot remove virtual rule',
    'A virtual_rules entry could not be removed.',
  ),
  kernelWorkFailed: m(
    'VRRPD_KERNEL',
    'error',
    'kernel update failed',
    'Queued kernel work of an instance failed; the next piece runs.',
  ),
  garpFailed: m(
    'VRRPD_GARP',
    'warn',
    '{kind} for {vip} failed',
    'Announcing an address (gratuitous ARP for IPv4, unsolicited Neighbor Advertisement for IPv6) failed; clients may keep the old MAC until their cache expires.',
  ),
  netlinkOverrun: m(
    'VRRPD_NETLINK_OVERRUN',
    'warn',
    'netlink notifications were lost: re-reading interface states',
    'The kernel dropped notifications (ENOBUFS); state is re-read.',
  ),
  netlinkError: m(
    'VRRPD_NETLINK',
    'warn',
    'netlink notification error',
    'Reading kernel notifications failed.',
  ),
  netlinkRelistFailed: m(
    'VRRPD_NETLINK_RELIST',
    'error',
    'cannot re-read {what}',
    'Re-reading interfaces or addresses from the kernel failed.',
  ),
  instanceEvent: m(
    'VRRPD_INSTANCE_EVENT',
    'info',
    '{detail}',
    'What the state machine noticed that is not a transition, in keepalived-style words (`detail`): a fault source raised (level warn) or cleared, the effective or runtime priority changed, a lower-priority advert heard while MASTER (answered to force a new election, or ignored). The core writes the text; this code marks every such line.',
  ),
  // Scripts
  fifoOpenFailed: m(
    'VRRPD_FIFO_OPEN',
    'error',
    'cannot open notify FIFO: {err}',
    'notify_fifo could not be created or opened.',
  ),
  fifoOwner: m(
    'VRRPD_FIFO_OWNER',
    'warn',
    'notify FIFO {fifo} created, but its owner could not be set: {err}',
    'notify_fifo names a USER [GROUP] the FIFO could not be given (chown failed): it stays root-owned (mode 0600), so a reader running as that user cannot open it.',
  ),
  fifoBlocked: m(
    'VRRPD_FIFO_FULL',
    'warn',
    'notify FIFO {fifo} is full or broken (no reader?): dropping events',
    'Nobody reads the FIFO; lines are dropped, never blocking VRRP.',
  ),
  fifoResumed: m(
    'VRRPD_FIFO_RESUMED',
    'info',
    'notify FIFO {fifo} accepting lines again',
    'The FIFO reader is back; `dropped` lines were lost.',
  ),
  trackFileInitFailed: m(
    'VRRPD_TRACK_FILE_INIT',
    'error',
    '{err}',
    'init_file could not be created or written.',
  ),
  trackFileNoWatch: m(
    'VRRPD_TRACK_FILE_POLL',
    'warn',
    'track_file {trackFile}: cannot watch {path}; polling only',
    'inotify is unavailable for the file; it is re-read periodically.',
  ),
  trackFileChanged: m(
    'VRRPD_TRACK_FILE',
    'info',
    'track_file {trackFile}: value {from} -> {to}',
    'The tracked file’s value changed.',
  ),
  bfdState: m(
    'VRRPD_BFD_STATE',
    'info',
    'bfd_instance {bfd}: {from} -> {to} ({diag})',
    'The BFD session to the neighbour changed state; only Up counts as up for track_bfd (keepalived logs "BFD_Instance(NAME) Entering STATE state").',
  ),
  bfdUnavailable: m(
    'VRRPD_BFD_UNAVAILABLE',
    'error',
    'bfd_instance sessions cannot run: {err}',
    'The BFD sockets (UDP port 3784, a source port in 49152–65535) could not be opened; every track_bfd stays down until a reload succeeds.',
  ),
  bfdSocketError: m(
    'VRRPD_BFD_SOCKET',
    'warn',
    'bfd_instance {bfd}: {err}',
    'A BFD socket reported an error (unreachable neighbour, no route); the session’s detection timer decides its state.',
  ),
  trackProcessQuorum: m(
    'VRRPD_TRACK_PROCESS',
    'info',
    'vrrp_track_process {tracker}: quorum {change} ({count} processes)',
    'The number of matching processes entered (`gained`) or left (`lost`) [quorum, quorum_max], after fork_delay/terminate_delay; keepalived logs "Quorum gained/lost for tracked process".',
  ),
  trackProcessPolling: m(
    'VRRPD_TRACK_PROCESS_POLL',
    'warn',
    'vrrp_track_process: process events unavailable ({reason}); polling /proc every {intervalMs} ms',
    'The kernel process-events connector cannot be used (not the initial network namespace, no CAP_NET_ADMIN, no CONFIG_PROC_EVENTS); processes are found by reading /proc instead, so changes are seen up to one interval late. keepalived 2.2.7 never counts a process in that situation.',
  ),
  trackProcessUnwatched: m(
    'VRRPD_TRACK_PROCESS_UNWATCHED',
    'warn',
    'vrrp_track_process cannot watch processes: {err}',
    'The kernel process-events connector was required (not `auto`) and could not be opened; tracked processes are not counted.',
  ),
  trackProcessEventsError: m(
    'VRRPD_TRACK_PROCESS_EVENTS',
    'warn',
    'process events error: {err}',
    'Reading the kernel’s process events failed; counts may be late until the next event or /proc re-read.',
  ),
  trackProcessLost: m(
    'VRRPD_TRACK_PROCESS_LOST',
    'warn',
    'vrrp_track_process: the kernel dropped process events; re-reading /proc',
    'Too many processes started or exited at once for the socket buffer; the counts are rebuilt from /proc a second later.',
  ),
  trackScriptSkipped: m(
    'VRRPD_TRACK_SCRIPT_SKIPPED',
    'warn',
    'vrrp_script {tracker} is still running when its next run is due: run skipped',
    'The check takes longer than its interval.',
  ),
  trackScriptResult: m(
    'VRRPD_TRACK_SCRIPT_RESULT',
    'info',
    'vrrp_script {tracker} now returning {result}',
    'The check’s exit status changed.',
  ),
  trackScriptState: m(
    'VRRPD_TRACK_SCRIPT',
    'info',
    'vrrp_script {tracker}: {from} -> {to}',
    'The check passed its rise/fall threshold.',
  ),
  trackScriptRunnerFailed: m(
    'VRRPD_TRACK_SCRIPT_ERROR',
    'error',
    'vrrp_script runner failed',
    'An internal failure running the check.',
  ),
  notifyDropped: m(
    'VRRPD_NOTIFY_DROPPED',
    'warn',
    '{notifyKey}: {count} older transition(s) dropped from the notify queue (scripts too slow for the flapping rate)',
    'Notify scripts fall behind; only the newest transitions are kept.',
  ),
  notifyAbandoned: m(
    'VRRPD_NOTIFY_ABANDONED',
    'warn',
    '{notifyKey}: pending notify scripts abandoned at shutdown',
    'Stopping did not wait for queued notify scripts.',
  ),
  notifyFailed: m(
    'VRRPD_NOTIFY_ERROR',
    'error',
    '{notifyKey}: notify executor failed',
    'An internal failure running a notify script.',
  ),
  notifyTerminated: m(
    'VRRPD_NOTIFY_TERMINATED',
    'warn',
    'notify scripts still running at shutdown: terminating them',
    'Their process groups get SIGTERM, then SIGKILL.',
  ),
  scriptSecurity: m(
    'VRRPD_SCRIPT_SECURITY',
    'warn',
    '{finding}',
    'A script-security finding (`event: script_security`), as `vrrpd -t` prints it: FILE:LINE, severity, text and its own code in brackets; a refused script never runs.',
  ),
  scriptsAsRoot: m(
    'VRRPD_SCRIPTS_AS_ROOT',
    'warn',
    '{warning}',
    'Scripts will run as root because enable_script_security is off (`event: script_security`); the line names the first of them. Set enable_script_security and script_user.',
  ),
  scriptLeftovers: m(
    'VRRPD_SCRIPT_LEFTOVERS',
    'warn',
    '{label}: {count} process(es) it started still running at its {timeoutMs} ms timeout, process group killed',
    'A script exited but left children; they were killed at its timeout.',
  ),
  scriptExited: m(
    'VRRPD_SCRIPT_EXIT',
    'info',
    '{label}: exited {exitCode}',
    'A script finished (warn level when its status is not 0).',
  ),
  scriptSignalled: m(
    'VRRPD_SCRIPT_SIGNAL',
    'warn',
    '{label}: killed by {signal}',
    'A script was killed by a signal.',
  ),
  scriptTimeout: m(
    'VRRPD_SCRIPT_TIMEOUT',
    'warn',
    '{label}: timed out after {timeoutMs} ms, process group killed',
    'A script exceeded its timeout.',
  ),
  scriptAborted: m(
    'VRRPD_SCRIPT_ABORTED',
    'info',
    '{label}: terminated (daemon stopping or script cancelled)',
    'A running script was stopped by us.',
  ),
  scriptSpawnFailed: m(
    'VRRPD_SCRIPT_SPAWN',
    'error',
    '{label}: could not be started: {err}',
    'The script could not be executed (missing, not executable, bad user).',
  ),
} as const satisfies Record<string, LogMessage>;

/** The whole catalogue: the daemon's lines, then the uplink module's (messages-uplinks.ts). */
export const LOG = { ...CORE_LOG, ...UPLINK_LOG } as const;

/** Both parts' names, to check no uplink entry silently replaces a core one. */
export const LOG_PARTS = { core: Object.keys(CORE_LOG), uplinks: Object.keys(UPLINK_LOG) };

export type LogMessageName = keyof typeof LOG;

/** The text a line of `message` with these fields carries. */
export function formatLogMessage(message: LogMessage, fields: LogFields): string {
  return fillTemplate(message.template, fields);
}

/**
 * Writes a catalogued line: `code` and the fields in the JSON, the template filled from them.
 * `level` overrides the catalogue's (e.g. a script's exit logged at warn when its status is not 0).
 */
export function say(logger: Logger, message: LogMessage, fields: LogFields = {}, level?: LogLevel): void {
  logger[level ?? message.level]({ code: message.code, ...fields }, fillTemplate(message.template, fields));
}

export const LOG_DOC_BEGIN = '<!-- generated from src/runtime/messages.ts: begin -->';
export const LOG_DOC_END = '<!-- generated from src/runtime/messages.ts: end -->';

/** The table in docs/log-messages.md. */
export function renderLogCatalogue(): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const rows = Object.values(LOG).map(
    (entry) =>
      `| \`${entry.code}\` | ${entry.level} | ${escape(entry.template)} | ${escape(entry.meaning)} |`,
  );
  return [
    LOG_DOC_BEGIN,
    '| code | level | message | meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    LOG_DOC_END,
  ].join('\n');
}
