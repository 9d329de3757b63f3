/* SPDX-License-Identifier: ISC */
/*
 * keepalived.conf keywords vrrpd reads but does not act on, one table:
 * each is either ignored (a warning: ignoring it changes nothing a user
 * of vrrpd would see, and the reason says why) or refused (an error: it
 * would change behaviour).  Keywords vrrpd implements are handled by
 * config.c; anything in neither place is an unknown keyword, an error as
 * in keepalived.  man/vrrpd.8 KEYWORDS lists the same table, and
 * tests/vrrpd/keywords.t checks the two agree with the parser.
 */
#include <string.h>

#include "parse.h"

#define G	KW_GLOBAL
#define I	KW_INSTANCE
#define S	KW_SCRIPT
#define T	KW_TOP

/* The reasons, each written once: the table below names them, a line each. */
static const char lvs[] = "LVS load balancing is keepalived's other half, "
    "not vrrpd's job (see hashproxy(8))";
static const char sched[] = "process scheduling: set it in the service "
    "manager (systemd Nice=, CPUSchedulingPolicy=)";
static const char parting[] = "vrrpd always does it: a master that "
    "steps down sends a parting advert (AFTER A SPLIT)";
static const char snmp[] = "vrrpd has no SNMP or D-Bus agent: poll "
    "--control status or read the state lines";
static const char changing[] = "it would change behaviour";
static const char bfd[] = "BFD is keepalived's third process; vrrpd has "
    "none (bfd_instance and track_bfd are refused)";
static const char bufs[] = "socket buffer size";
static const char kadata[] = "keepalived's own debugging files: vrrpd "
    "writes /tmp/keepalived.data, .stats and .json on keepalived's signals, "
    "and has -t -v and --control";
static const char agent[] = "the name of an agent vrrpd has not got "
    "(enable_dbus, enable_snmp_* are refused)";
static const char nftab[] = "no_accept always uses nftables table inet vrrpd";
static const char reload[] = "keepalived's reload handshakes: vrrpd "
    "reloads on SIGHUP or the control socket's reload";
static const char dynif[] = "vrrpd waits in FAULT for a missing interface "
    "anyway";
static const char inclcheck[] = "include checks: a glob matching nothing is "
    "no error, a missing plain file a warning";
static const char updown[] = "vrrpd acts on a link change at once";
static const char linkbeat[] = "vrrpd follows links through netlink events";
static const char unknownvrid[] = "logging: vrrpd -v logs each dropped "
    "advert with its reason";
static const char family[] = "vrrpd takes the family from the addresses";
static const char netns[] = "keepalived 2.2.7 as Debian builds it does "
    "not know it and runs where it is started: run vrrpd in the namespace "
    "(ip netns exec)";
static const char preempt[] = "preemption is the default (nopreempt turns "
    "it off)";
static const char procname[] = "process names";
static const char seed[] = "${_RANDOM} is vrrpd's own sequence, not "
    "keepalived's for a seed";
static const char reloadcheck[] = "vrrpd checks a new config whole before a "
    "reload takes it";
static const char scriptcheck[] = "script checks: vrrpd's are "
    "enable_script_security's";
static const char piddir[] = "pid files: see --pidfile";
static const char vrf[] = "run vrrpd in the VRF instead (ip vrf exec)";

/* Sorted by name (a name may appear once per section). */
static const struct kw_entry kw_table[] = {
	{ "bfd_cpu_affinity",		G, KW_IGNORED, bfd },
	{ "bfd_instance",		T, KW_REFUSED, changing },
	{ "bfd_no_swap",		G, KW_IGNORED, bfd },
	{ "bfd_priority",		G, KW_IGNORED, bfd },
	{ "bfd_process_name",		G, KW_IGNORED, bfd },
	{ "bfd_rlimit_rtime",		G, KW_IGNORED, bfd },
	{ "bfd_rlimit_rttime",		G, KW_IGNORED, bfd },
	{ "bfd_rt_priority",		G, KW_IGNORED, bfd },
	{ "checker_cpu_affinity",	G, KW_IGNORED, lvs },
	{ "checker_log_all_failures",	G, KW_IGNORED, lvs },
	{ "checker_no_swap",		G, KW_IGNORED, sched },
	{ "checker_priority",		G, KW_IGNORED, sched },
	{ "checker_process_name",	G, KW_IGNORED, lvs },
	{ "checker_rlimit_rtime",	G, KW_IGNORED, lvs },
	{ "checker_rlimit_rttime",	G, KW_IGNORED, lvs },
	{ "checker_rt_priority",	G, KW_IGNORED, sched },
	{ "config_save_dir",		G, KW_IGNORED, kadata },
	{ "dbus_service_name",		G, KW_IGNORED, agent },
	{ "debug",			I, KW_IGNORED, "debug level: use -v" },
	{ "dynamic_interfaces",		G, KW_IGNORED, dynif },
	{ "enable_dbus",		G, KW_REFUSED, snmp },
	{ "enable_snmp_checker",	G, KW_IGNORED, lvs },
	{ "enable_snmp_keepalived",	G, KW_REFUSED, snmp },
	{ "enable_snmp_rfc",		G, KW_REFUSED, snmp },
	{ "enable_snmp_rfcv2",		G, KW_REFUSED, snmp },
	{ "enable_snmp_rfcv3",		G, KW_REFUSED, snmp },
	{ "enable_snmp_vrrp",		G, KW_REFUSED, snmp },
	{ "enable_traps",		G, KW_REFUSED, snmp },
	{ "higher_prio_send_advert",	I, KW_IGNORED, parting },
	{ "include_check",		G, KW_IGNORED, inclcheck },
	{ "interface_up_down_delays",	T, KW_REFUSED, updown },
	{ "ipsets",			I, KW_REFUSED, changing },
	{ "kernel_rx_buf_size",		I, KW_IGNORED, bufs },
	{ "linkbeat_interfaces",	T, KW_IGNORED, linkbeat },
	{ "linkbeat_use_polling",	I, KW_IGNORED, linkbeat },
	{ "linkbeat_use_polling",	T, KW_IGNORED, linkbeat },
	{ "log_unknown_vrids",		G, KW_IGNORED, unknownvrid },
	{ "lvs_flush",			G, KW_IGNORED, lvs },
	{ "lvs_flush_on_stop",		G, KW_IGNORED, lvs },
	{ "lvs_flush_onstop",		G, KW_IGNORED, lvs },
	{ "lvs_id",			G, KW_IGNORED, lvs },
	{ "lvs_netlink_cmd_rcv_bufs",	G, KW_IGNORED, lvs },
	{ "lvs_netlink_cmd_rcv_bufs_force", G, KW_IGNORED, lvs },
	{ "lvs_netlink_monitor_rcv_bufs", G, KW_IGNORED, lvs },
	{ "lvs_netlink_monitor_rcv_bufs_force", G, KW_IGNORED, lvs },
	{ "lvs_notify_fifo",		G, KW_IGNORED, lvs },
	{ "lvs_notify_fifo_script",	G, KW_IGNORED, lvs },
	{ "lvs_process_name",		G, KW_IGNORED, lvs },
	{ "lvs_sync_daemon",		G, KW_IGNORED, lvs },
	{ "lvs_sync_daemon_interface",	G, KW_IGNORED, lvs },
	{ "lvs_sync_daemon_interface",	I, KW_IGNORED, lvs },
	{ "lvs_timeouts",		G, KW_IGNORED, lvs },
	{ "max_auto_priority",		G, KW_IGNORED, sched },
	{ "min_auto_priority_delay",	G, KW_IGNORED, sched },
	{ "native_ipv6",		I, KW_IGNORED, family },
	{ "net_namespace",		G, KW_REFUSED, netns },
	{ "net_namespace",		T, KW_REFUSED, netns },
	{ "nftables",			G, KW_IGNORED, nftab },
	{ "nftables_counters",		G, KW_IGNORED, nftab },
	{ "nftables_ifindex",		G, KW_IGNORED, nftab },
	{ "nftables_ipvs",		G, KW_IGNORED, lvs },
	{ "nftables_ipvs_priority",	G, KW_IGNORED, lvs },
	{ "nftables_ipvs_start_fwmark",	G, KW_IGNORED, lvs },
	{ "nftables_priority",		G, KW_IGNORED, nftab },
	{ "no_checker_emails",		G, KW_IGNORED, lvs },
	{ "preempt",			I, KW_IGNORED, preempt },
	{ "process_monitor_rcv_bufs",	G, KW_IGNORED, bufs },
	{ "process_monitor_rcv_bufs_force", G, KW_IGNORED, bufs },
	{ "process_name",		G, KW_IGNORED, procname },
	{ "process_names",		G, KW_IGNORED, procname },
	{ "random_seed",		G, KW_REFUSED, seed },
	{ "reload_check_config",	G, KW_IGNORED, reloadcheck },
	{ "reload_file",		G, KW_REFUSED, reload },
	{ "reload_repeat",		G, KW_REFUSED, reload },
	{ "reload_time_file",		G, KW_REFUSED, reload },
	{ "rs_init_notifies",		G, KW_IGNORED, lvs },
	{ "script_user_check",		G, KW_IGNORED, scriptcheck },
	{ "smtp_alert_checker",		G, KW_IGNORED, lvs },
	{ "snmp_socket",		G, KW_IGNORED, agent },
	{ "sync_group",			I, KW_REFUSED, changing },
	{ "tmp_config_directory",	G, KW_IGNORED, kadata },
	{ "track_bfd",			I, KW_REFUSED, changing },
	{ "track_group",		T, KW_REFUSED, changing },
	{ "track_process",		T, KW_REFUSED, changing },
	{ "use_ipvlan",			I, KW_REFUSED, changing },
	{ "use_pid_dir",		T, KW_IGNORED, piddir },
	{ "virtual_server",		T, KW_IGNORED, lvs },
	{ "virtual_server_group",	T, KW_IGNORED, lvs },
	{ "vrf",			I, KW_REFUSED, vrf },
	{ "vrrp_cpu_affinity",		G, KW_IGNORED, sched },
	{ "vrrp_higher_prio_send_advert", G, KW_IGNORED, parting },
	{ "vrrp_netlink_cmd_rcv_bufs",	G, KW_IGNORED, bufs },
	{ "vrrp_netlink_cmd_rcv_bufs_force", G, KW_IGNORED, bufs },
	{ "vrrp_netlink_monitor_rcv_bufs", G, KW_IGNORED, bufs },
	{ "vrrp_netlink_monitor_rcv_bufs_force", G, KW_IGNORED, bufs },
	{ "vrrp_no_swap",		G, KW_IGNORED, sched },
	{ "vrrp_priority",		G, KW_IGNORED, sched },
	{ "vrrp_process_name",		G, KW_IGNORED, procname },
	{ "vrrp_rlimit_rtime",		G, KW_IGNORED, sched },
	{ "vrrp_rlimit_rttime",		G, KW_IGNORED, sched },
	{ "vrrp_rt_priority",		G, KW_IGNORED, sched },
	{ "vrrp_rx_bufs_multiplier",	G, KW_IGNORED, bufs },
	{ "vrrp_rx_bufs_policy",	G, KW_IGNORED, bufs },
};

const struct kw_entry *
kw_find(const char *name, int section)
{
	size_t i;

	for (i = 0; i < sizeof(kw_table) / sizeof(kw_table[0]); i++)
		if ((kw_table[i].kw_sections & section) &&
		    strcmp(kw_table[i].kw_name, name) == 0)
			return &kw_table[i];
	return NULL;
}
