// The uplink module's part of the log catalogue (merged into LOG by messages.ts, so
// docs/log-messages.md lists it): NetGWM-style multi-uplink failover, per uplink_group or
// `vrrpd --uplinks-only`. Every line carries `uplinkGroup`; most keep an `event` field
// (uplink_switch, uplink_health, …) that existing tooling filters on.

import { logMessage as m, type LogMessage } from './log-message.js';

export const UPLINK_LOG = {
  // Lifecycle of a group
  uplinkStarted: m(
    'VRRPD_UPLINK_STARTED',
    'info',
    'uplink selector started ({role})',
    'A group started probing (`event: uplink_start`); `active` is the gateway the default route already went through, `role` whether it owns the route (master, standalone) or only watches (backup).',
  ),
  uplinkReloaded: m(
    'VRRPD_UPLINK_RELOADED',
    'info',
    'uplink configuration reloaded',
    'A group took a new netgwm.yml (`event: uplink_reload`); unchanged gateways keep their health.',
  ),
  uplinkGroupRejected: m(
    'VRRPD_UPLINK_GROUP_REJECTED',
    'error',
    'uplink_group {uplinkGroup}: netgwm.yml rejected, the previous one keeps running: {summary}',
    'A reload found errors in a running group’s netgwm.yml (`event: uplink_group_error`, all of them in `errors`); the group goes on with its previous file. Fix the file (`vrrpd -t`) and reload.',
  ),
  uplinkGroupError: m(
    'VRRPD_UPLINK_GROUP_ERROR',
    'error',
    'uplink_group {uplinkGroup} is in an error state ({error}): its default route is not managed; VRRP runs without it',
    'The group could not start (unusable netgwm.yml, kernel refused its probe routing…; `event: uplink_group_error`). `vrrpctl status` and `vrrpd_uplink_group_error` show it; fix the cause and reload.',
  ),
  uplinkGroupRemoved: m(
    'VRRPD_UPLINK_GROUP_REMOVED',
    'info',
    'uplink_group {uplinkGroup} removed by reload',
    'The group left keepalived.conf: it stopped probing and removed its probe routing; the default route is left as it is.',
  ),
  uplinkGroupStopFailed: m(
    'VRRPD_UPLINK_GROUP_STOP',
    'warn',
    'uplink_group {uplinkGroup} did not stop cleanly: {error}',
    'Stopping a group failed part-way; its probe rules or routes may be left over (`ip rule`, the probe tables).',
  ),
  uplinkStopping: m(
    'VRRPD_UPLINK_STOPPING',
    'info',
    'stopping: removing the probe routing',
    '`vrrpd --uplinks-only` got SIGTERM/SIGINT: probing stops and the probe routing goes; the default route stays.',
  ),
  uplinkConfigInvalid: m(
    'VRRPD_UPLINK_CONFIG_INVALID',
    'error',
    'netgwm.yml has errors: not starting',
    '`vrrpd --uplinks-only` cannot use its netgwm.yml (`file`); the errors are on stderr. Exit status 4.',
  ),
  uplinkReloadRejected: m(
    'VRRPD_UPLINK_RELOAD_REJECTED',
    'error',
    'new netgwm.yml rejected: keeping the running one',
    '`vrrpd --uplinks-only` was asked to reload a netgwm.yml with errors (`errors` of them, logged before); nothing changed.',
  ),
  // Health, selection and the default route (decided by the policy in src/uplink)
  uplinkUp: m(
    'VRRPD_UPLINK_UP',
    'info',
    'uplink {uplink} is UP (was {from})',
    'A gateway passed enough rounds in a row (`event: uplink_health`, `rttMs`); it may carry the default route again.',
  ),
  uplinkDown: m(
    'VRRPD_UPLINK_DOWN',
    'warn',
    'uplink {uplink} is DOWN (was {from}): {reason}',
    'A gateway failed enough rounds in a row (`event: uplink_health`): too few check sites answered, or loss, latency or jitter passed its limit. Traffic moves to another uplink if one is UP.',
  ),
  uplinkAllDown: m(
    'VRRPD_UPLINK_ALL_DOWN',
    'error',
    'every uplink is down; keeping the default route {detail}',
    'No gateway of the group is UP (`event: uplink_all_down`, `active`); the route is not touched until one comes back. Check the links and the check sites.',
  ),
  uplinkSwitched: m(
    'VRRPD_UPLINK_SWITCH',
    'info',
    'default route replaced: {to} (was {was}, {reason})',
    'The default route now goes through another gateway (`event: uplink_switch`, `from`, `to`, `via`, `dev`); post-replace.d hooks and the conntrack flush follow.',
  ),
  uplinkRole: m(
    'VRRPD_UPLINK_ROLE',
    'info',
    'uplink selector is now {to} (was {from})',
    'The group follows its VRRP instance or sync group (`event: uplink_role`): master owns the default route, backup only probes.',
  ),
  uplinkRouteChanged: m(
    'VRRPD_UPLINK_ROUTE_CHANGED',
    'warn',
    'the default route was changed behind our back (now {now}); restoring it via {restoring}',
    'Someone else rewrote the default route of the group’s table (`event: uplink_route_changed`); the group puts its own choice back, as NetGWM does at its next run.',
  ),
  uplinkRouteDeleted: m(
    'VRRPD_UPLINK_ROUTE_DELETED',
    'warn',
    'the default route was deleted behind our back; restoring it via {restoring}',
    'Someone else deleted the default route of the group’s table (`event: uplink_route_changed`, `present: false`); it is written again.',
  ),
  uplinkRouteError: m(
    'VRRPD_UPLINK_ROUTE_ERROR',
    'error',
    'cannot replace the default route via {gateway}: {error}',
    'The kernel refused the route write (`event: uplink_route_error`, counted in `vrrpd_uplink_route_errors_total`); the route stays where it was and the next round tries again.',
  ),
  uplinkRouteUnreadable: m(
    'VRRPD_UPLINK_ROUTE_READ',
    'warn',
    'cannot read the current default route: {error}',
    'At start the group could not learn which gateway the default route goes through; it starts as if there were none.',
  ),
  uplinkRouteWatchError: m(
    'VRRPD_UPLINK_ROUTE_WATCH',
    'warn',
    'route notifications: receive error: {error}',
    'Reading the kernel’s route notifications failed; a default route changed by someone else may be noticed late.',
  ),
  uplinkFallback: m(
    'VRRPD_UPLINK_FALLBACK',
    'info',
    'left MASTER: fallback default route restored',
    'on_leave_master fallback: the route via `via`/`dev` is back (`event: uplink_fallback`).',
  ),
  uplinkFallbackFailed: m(
    'VRRPD_UPLINK_FALLBACK_FAILED',
    'error',
    'left MASTER: cannot restore the fallback default route: {error}',
    'on_leave_master fallback: the kernel refused the route (`event: uplink_fallback`); the default route still goes where this router sent it.',
  ),
  uplinkPinned: m(
    'VRRPD_UPLINK_PINNED',
    'info',
    'uplink route pinned to {pinned}',
    'A runtime pin (`vrrpctl uplink pin`, NetGWM’s mode file; `event: uplink_pin`) holds the route on one gateway whatever its health.',
  ),
  uplinkPinOverridden: m(
    'VRRPD_UPLINK_PIN_OVERRIDDEN',
    'info',
    "uplink route pinned to {pinned} (but netgwm.yml's mode {mode} wins)",
    'A runtime pin was set while netgwm.yml has a `mode` (`event: uplink_pin`); the yml’s mode decides, as in NetGWM.',
  ),
  uplinkUnpinned: m(
    'VRRPD_UPLINK_UNPINNED',
    'info',
    'uplink selection is automatic again (runtime pin removed)',
    '`vrrpctl uplink pin auto` or an emptied mode file (`event: uplink_pin`).',
  ),
  uplinkModeFileUnknown: m(
    'VRRPD_UPLINK_MODE_FILE',
    'warn',
    '{modeFile} names no gateway ({mode}): automatic selection, as NetGWM does',
    'The mode file holds a name that is not a gateway of netgwm.yml; logged once until it changes.',
  ),
  uplinkModeFileUnreadable: m(
    'VRRPD_UPLINK_MODE_FILE_READ',
    'warn',
    'cannot read {modeFile}: {error}',
    'The mode file exists but cannot be read (permissions?); the pin in force stays. Logged once until the error changes.',
  ),
  // Probing
  uplinkRoundFailed: m(
    'VRRPD_UPLINK_ROUND',
    'error',
    'probe round failed: {error}',
    'A bug or an unexpected kernel error ended a probe round early; the next round runs as scheduled. Please report the line.',
  ),
  uplinkEventFailed: m(
    'VRRPD_UPLINK_EVENT',
    'error',
    'uplink event handling failed ({event}): {error}',
    'A bug: handling a round, role change, reload or pin threw. The group goes on with the next event; please report the line.',
  ),
  uplinkProbeRoute: m(
    'VRRPD_UPLINK_PROBE_ROUTE',
    'warn',
    'cannot install the probe route via {gateway}; its probes fail until it can be',
    'The gateway’s policy routing (rule and probe table) was refused, often because its device is down or missing; retried before each round.',
  ),
  uplinkProbeRouteRestored: m(
    'VRRPD_UPLINK_PROBE_ROUTE_RESTORED',
    'info',
    'probe route via {gateway} restored',
    'The probe routing of a gateway could be installed again.',
  ),
  uplinkProbeRouteLeft: m(
    'VRRPD_UPLINK_PROBE_TEARDOWN',
    'warn',
    'probe routing via {gateway} not fully removed: {problems}',
    'At stop or reload some rule or probe-table route could not be deleted; remove it by hand (`ip rule`, `ip route show table …`) if it stays.',
  ),
  uplinkProbeSocket: m(
    'VRRPD_UPLINK_PROBE_SOCKET',
    'error',
    'cannot open the {method} probe socket for {gateway}; it counts as down',
    'Opening the marked probe socket failed (CAP_NET_RAW / CAP_NET_ADMIN missing, device gone); retried every round, logged once until it works.',
  ),
  uplinkRpFilter: m(
    'VRRPD_UPLINK_RP_FILTER',
    'warn',
    'strict rp_filter on {dev} drops probe replies while {gateway} is not the active uplink; set net.ipv4.conf.{dev}.rp_filter=2',
    'Strict reverse-path filtering makes every backup uplink look dead; use loose mode (2) on the uplink devices.',
  ),
  uplinkSiteResolved: m(
    'VRRPD_UPLINK_SITE_RESOLVED',
    'info',
    'check site {site} resolves to {address}',
    'A check site given by name has a (new) address (`previous` is the old one).',
  ),
  uplinkSiteUnresolved: m(
    'VRRPD_UPLINK_SITE_UNRESOLVED',
    'warn',
    'check site {site} does not resolve ({reason}); it counts as not answering until it does',
    'A check site name has no address yet; retried after 1 s, then less and less often. Check DNS.',
  ),
  uplinkSiteKept: m(
    'VRRPD_UPLINK_SITE_KEPT',
    'warn',
    'check site {site} does not resolve ({reason}); keeping its last address {keeping}',
    'Re-resolving a check site failed; probes go on to the address it had.',
  ),
  // After a switch, and the files NetGWM users read
  uplinkActionFailed: m(
    'VRRPD_UPLINK_ACTION',
    'error',
    'post-switch action failed ({action}): {error}',
    'A bug in the conntrack flush, hooks or the NetGWM log after a switch; the route itself was written. Please report the line.',
  ),
  uplinkConntrackMissing: m(
    'VRRPD_UPLINK_CONNTRACK_MISSING',
    'warn',
    'conntrack_flush is set but the conntrack tool is not installed; flows are not flushed',
    'Install conntrack (conntrack-tools) or set conntrack_flush to none. Logged once.',
  ),
  uplinkHooksUnlisted: m(
    'VRRPD_UPLINK_HOOKS',
    'warn',
    'cannot list the hook directory {directory}: {error}',
    'post-replace.d or the event hook directory exists but cannot be read; no hook ran for this switch.',
  ),
  uplinkLogFile: m(
    'VRRPD_UPLINK_LOG_FILE',
    'warn',
    'cannot append to {logFile}: {error}',
    'NetGWM’s switch log (`log_file`) cannot be written; logged once until it works again.',
  ),
  uplinkStatusWrite: m(
    'VRRPD_UPLINK_STATUS_FILE',
    'warn',
    'cannot write {file}: {error}',
    'A NetGWM status file (`status_dir`) cannot be written; retried with the next change, logged once until it works.',
  ),
  uplinkStatusName: m(
    'VRRPD_UPLINK_STATUS_NAME',
    'warn',
    'gateway id "{gateway}" cannot be a file name: it gets no status file in {directory}',
    'A gateway id with `/` (or named gwstore.yml) has no status file of its own; gwstore.yml still lists it.',
  ),
  uplinkStateWrite: m(
    'VRRPD_UPLINK_STATE_WRITE',
    'warn',
    'cannot write the uplink state file {stateFile}: {error}',
    'Flap memory and the active gateway will not survive a restart (state directory not writable?).',
  ),
  uplinkStateIgnored: m(
    'VRRPD_UPLINK_STATE_IGNORED',
    'warn',
    'ignoring the uplink state file {stateFile}: {reason}',
    'The file from the previous run is unreadable or of another version; the group starts without flap memory.',
  ),
  uplinkStickyFailed: m(
    'VRRPD_UPLINK_STICKY',
    'error',
    'sticky_flows: cannot apply the nftables table',
    '`nft -f` refused the sticky-flows table (`table`, `error`); routing goes on without stickiness. Is nftables installed?',
  ),
  uplinkStickyApplied: m(
    'VRRPD_UPLINK_STICKY_APPLIED',
    'info',
    'sticky_flows: nftables table {table} applied',
    'The sticky-flows table could be written again after a failure.',
  ),
} as const satisfies Record<string, LogMessage>;
