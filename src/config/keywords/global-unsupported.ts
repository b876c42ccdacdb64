// global_defs keywords vrrpd does not implement: accepted with a warning when ignoring them leaves
// the VRRP behaviour intact (e-mail, SNMP, D-Bus, LVS, BFD, process tuning), refused otherwise.

import type { GlobalDefs } from '../model/types.js';
import { ignoredKeywords } from './common.js';
import type { KeywordSpec } from './types.js';
import { NET_NAMESPACE_IN_GLOBAL_DEFS } from './net-namespace.js';

type G = GlobalDefs;

const EMAIL = [
  'notification_email',
  'notification_email_from',
  'smtp_server',
  'smtp_helo_name',
  'smtp_connect_timeout',
  'smtp_alert',
  'smtp_alert_vrrp',
  'smtp_alert_checker',
  'no_email_faults',
];
const SNMP = [
  'snmp_socket',
  'enable_snmp_vrrp',
  'enable_snmp_checker',
  'enable_snmp_rfc',
  'enable_snmp_rfcv2',
  'enable_snmp_rfcv3',
  'enable_traps',
];
const DBUS = ['enable_dbus', 'dbus_service_name'];
const LVS = [
  'lvs_sync_daemon',
  'lvs_timeouts',
  'lvs_flush',
  'lvs_flush_on_stop',
  'lvs_notify_fifo',
  'lvs_notify_fifo_script',
  'lvs_netlink_cmd_rcv_bufs',
  'lvs_netlink_cmd_rcv_bufs_force',
  'lvs_netlink_monitor_rcv_bufs',
  'lvs_netlink_monitor_rcv_bufs_force',
  'checker_priority',
  'checker_no_swap',
  'checker_rt_priority',
  'checker_rlimit_rttime',
  'checker_cpu_affinity',
  'checker_process_name',
  'checker_log_all_failures',
  'rs_init_notifies',
  'no_checker_emails',
  'nftables_ipvs',
  'nftables_ipvs_priority',
  'nftables_ipvs_start_fwmark',
];
const BFD = [
  'bfd_priority',
  'bfd_no_swap',
  'bfd_rt_priority',
  'bfd_rlimit_rttime',
  'bfd_cpu_affinity',
  'bfd_process_name',
];
const PROCESS_TUNING = [
  'process_names',
  'process_name',
  'vrrp_process_name',
  'tmp_config_directory',
  'config_save_dir',
  'vrrp_netlink_cmd_rcv_bufs',
  'vrrp_netlink_cmd_rcv_bufs_force',
  'vrrp_netlink_monitor_rcv_bufs',
  'vrrp_netlink_monitor_rcv_bufs_force',
  'process_monitor_rcv_bufs',
  'process_monitor_rcv_bufs_force',
  'vrrp_rx_bufs_policy',
  'vrrp_rx_bufs_multiplier',
  'umask',
  'random_seed',
  'data_use_instance',
  'min_auto_priority_delay',
  'vrrp_rlimit_rttime',
  'vrrp_cpu_affinity',
  'include_check',
  'default_interface',
];
/** keepalived reads these at the top level only: in global_defs it reports "Unknown keyword". */
const TOP_LEVEL_ONLY = [
  'linkbeat_use_polling',
  'child_wait_time',
  'use_pid_dir',
  'instance',
  'namespace_with_ipsets',
  'net_namespace_ipvs',
];
const RELOAD = [
  'reload_check_config',
  'reload_time_file',
  'reload_repeat',
  'reload_file',
  'fifo_write_vrrp_states_on_reload',
];
const VRRP_EXTRAS = [
  'log_unknown_vrids',
  'vrrp_lower_prio_no_advert',
  'vrrp_garp_lower_prio_delay',
  'vrrp_garp_lower_prio_repeat',
  'vrrp_garp_extra_if',
];
/** Debian's keepalived 2.2.7 is built without iptables: it reports these (and uses nftables). */
const IPTABLES = ['vrrp_iptables', 'vrrp_ipsets'];
const FIREWALL = ['nftables', 'nftables_priority', 'nftables_counters', 'nftables_ifindex'];

export const GLOBAL_UNSUPPORTED_KEYWORDS: KeywordSpec<G>[] = [
  ...ignoredKeywords<G>(
    EMAIL,
    'vrrpd sends no e-mail',
    'use a notify script or the notify FIFO to send alerts',
  ),
  ...ignoredKeywords<G>(
    SNMP,
    'vrrpd has no SNMP agent',
    'vrrpctl status/stats and the Prometheus exporter give the same data',
  ),
  ...ignoredKeywords<G>(
    ['vrrp_higher_prio_send_advert'],
    'always on in vrrpd: a MASTER that yields sends one advert so the winner re-announces itself with gratuitous ARP (keepalived #166)',
  ),
  ...ignoredKeywords<G>(DBUS, 'vrrpd has no D-Bus interface'),
  ...ignoredKeywords<G>(LVS, 'vrrpd does not implement LVS/IPVS or its health checkers'),
  ...ignoredKeywords<G>(BFD, 'vrrpd does not implement BFD'),
  ...ignoredKeywords<G>(PROCESS_TUNING, 'keepalived process or parser tuning with no equivalent in vrrpd'),
  ...ignoredKeywords<G>(
    TOP_LEVEL_ONLY,
    'keepalived process tuning with no equivalent in vrrpd; keepalived reads it outside global_defs only and reports it here as unknown',
    'move it out of global_defs, or remove it',
    { keepalivedReports: true },
  ),
  ...ignoredKeywords<G>(
    RELOAD,
    'vrrpd reloads on SIGHUP or `vrrpctl reload` and always checks the new configuration first',
  ),
  ...ignoredKeywords<G>(
    VRRP_EXTRAS,
    'keepalived extension not implemented by vrrpd; VRRP runs with the RFC behaviour',
  ),
  ...ignoredKeywords<G>(
    IPTABLES,
    'vrrpd does not install firewall rules for no_accept or VMACs; Debian’s keepalived 2.2.7 has no iptables support and reports it too',
    'if you rely on no_accept filtering, add the rules to your firewall configuration',
    { keepalivedReports: true },
  ),
  ...ignoredKeywords<G>(
    FIREWALL,
    'vrrpd does not install firewall rules for no_accept or VMACs',
    'if you rely on no_accept filtering, add the rules to your firewall configuration',
  ),
  ...NET_NAMESPACE_IN_GLOBAL_DEFS,
];
