/* SPDX-License-Identifier: ISC */
/* vrrpd/conftrack.c: track_file, vrrp_track_process, use_vmac. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "config.h"
#include "tap.h"

static struct config cf;
static char err[8192];

static int
parse(const char *text)
{
	int n;

	config_defaults(&cf);
	n = config_parse(&cf, "k.conf", text, strlen(text), NULL, NULL, err,
	    sizeof(err));
	if (n == 0)
		n = config_check(&cf, err, sizeof(err));
	return n;
}

#define INST(body) "vrrp_instance I {\n interface eth0\n virtual_router_id" \
	" 51\n" body " virtual_ipaddress {\n 192.0.2.1\n }\n}\n"

static void
test_track_file(void)
{
	struct cfg_tfile *f = &cf.cf_tfiles[0];
	struct cfg_track *t = &cf.cf_inst[0].ci_tfiles[0];

	is_int(parse("track_file m {\n file \"/run/m\"\n}\n"
	    INST(" track_file {\n m\n }\n")), 0, "track_file parses");
	is_str(err, "", "... without a word");
	is_str(f->ctf_name, "m", "name");
	is_str(f->ctf_path, "/run/m", "file");
	is_int((int)f->ctf_weight, 1, "weight defaults to 1");
	is_int(f->ctf_init, 0, "no init_file");
	is_int(cf.cf_inst[0].ci_ntfiles, 1, "the instance tracks it");
	is_int(t->ct_has_weight, 0, "... with the file's weight");
	is_int(parse("vrrp_track_file m {\n file /run/m\n weight -7 reverse\n"
	    " init_file 3 overwrite\n}\n"
	    INST(" track_file {\n m weight 5 noreverse\n }\n")), 0,
	    "vrrp_track_file, keepalived's older name");
	is_int((int)f->ctf_weight, -7, "weight -7");
	is_int(f->ctf_reverse, 1, "reverse");
	is_int(f->ctf_init, 1, "init_file");
	is_int((int)f->ctf_init_value, 3, "... 3");
	is_int(f->ctf_init_overwrite, 1, "... overwrite");
	is_int(t->ct_weight, 5, "instance weight 5");
	is_int(t->ct_reverse, CFG_REV_NO, "... noreverse");
	is_int(parse("track_file m {\n file /run/m\n init_file overwrite\n}\n"
	    INST("")), 0, "init_file overwrite alone");
	is_int((int)f->ctf_init_value, 0, "... writes 0");
	is_int(parse("track_file m {\n file /run/m\n weight 2147483647\n}\n"
	    INST("")), 0, "a track_file's weight may be large");
	ok(parse("track_file m {\n file run/m\n}\n" INST("")) > 0,
	    "a relative path is an error");
	ok(strstr(err, "k.conf:2: ") != NULL, "... at its line");
	ok(parse("track_file m {\n weight 1\n}\n" INST("")) > 0,
	    "no file: an error");
	ok(parse(INST(" track_file {\n nosuch\n }\n")) > 0,
	    "an unknown name: an error");
	ok(strstr(err, "k.conf:1: vrrp_instance I: track_file nosuch: no "
	    "track_file of that name") != NULL, "... naming file, line, name");
	ok(parse("track_file m {\n file /m\n}\n"
	    INST(" track_file {\n m weight 300\n }\n")) > 0,
	    "instance weight beyond 254: an error");
	ok(parse(INST(" track_file m\n")) > 0,
	    "track_file without a block in an instance: an error");
	ok(parse("track_file m {\n file /m\n}\ntrack_file m {\n file /n\n}\n"
	    INST("")) > 0, "defined twice: an error");
}

static void
test_track_process(void)
{
	struct cfg_tproc *p = &cf.cf_tprocs[0];

	is_int(parse("vrrp_track_process h {\n process haproxy\n}\n"
	    INST(" track_process {\n h\n }\n")), 0, "vrrp_track_process");
	is_str(p->ctp_proc, "haproxy", "process");
	is_int(p->ctp_nparams, 0, "no parameters");
	is_int(p->ctp_quorum, 1, "quorum 1");
	is_int(p->ctp_quorum_max, -1, "no quorum_max");
	is_int(p->ctp_weight, 1, "weight 1");
	is_int(p->ctp_has_param_match, 0, "no param_match");
	is_int(parse("vrrp_track_process h {\n process /usr/sbin/haproxy -f "
	    "\"/etc/a b.cfg\"\n param_match initial\n quorum 2\n quorum_max 3\n"
	    " weight -20 reverse\n delay 1.5\n full_command\n}\n"
	    INST(" track_process {\n h weight 0\n }\n")), 0,
	    "every keyword");
	is_int(p->ctp_nparams, 2, "two parameters");
	ok(p->ctp_plen == 16 && memcmp(p->ctp_params, "-f\0/etc/a b.cfg", 16)
	    == 0, "... NUL-separated, the quoted one whole");
	is_int(p->ctp_param_match, CFG_PARAM_INITIAL, "param_match initial");
	is_int(p->ctp_quorum, 2, "quorum 2");
	is_int(p->ctp_quorum_max, 3, "quorum_max 3");
	is_int(p->ctp_weight, -20, "weight -20");
	is_int(p->ctp_reverse, 1, "reverse");
	ok(p->ctp_fork_delay == 1500000 && p->ctp_terminate_delay == 1500000,
	    "delay sets both delays");
	is_int(p->ctp_full_command, 1, "full_command");
	is_int(cf.cf_inst[0].ci_tprocs[0].ct_weight, 0,
	    "the instance's weight 0");
	is_int(parse("vrrp_track_process h {\n process x\n param_match\n}\n"
	    INST("")), 0, "param_match alone");
	is_int(p->ctp_param_match, CFG_PARAM_EXACT, "... exact, no parameters");
	ok(parse("vrrp_track_process h {\n process x\n quorum 3\n"
	    " quorum_max 2\n}\n" INST("")) > 0, "quorum_max below quorum");
	ok(parse("vrrp_track_process h {\n weight 1\n}\n" INST("")) > 0,
	    "no process: an error");
	ok(parse("vrrp_track_process h {\n process x\n param_match most\n}\n"
	    INST("")) > 0, "param_match most: an error");
	ok(parse(INST(" track_process {\n nosuch\n }\n")) > 0,
	    "an unknown name: an error");
	ok(strstr(err, "no vrrp_track_process of that name") != NULL,
	    "... says so");
}

static void
test_vmac(void)
{
	struct cfg_instance *in = &cf.cf_inst[0];

	is_int(parse(INST(" use_vmac\n")), 0, "use_vmac");
	is_int(in->ci_vmac, 1, "... on");
	is_str(in->ci_vmac_name, "vrrp.51", "... named vrrp.VRID, as keepalived");
	is_int(in->ci_vmac_xmit_base, 0, "... adverts from the VMAC");
	is_int(parse(INST(" use_vmac vip0\n vmac_xmit_base\n")), 0,
	    "use_vmac NAME, vmac_xmit_base");
	is_str(in->ci_vmac_name, "vip0", "... its name");
	is_int(in->ci_vmac_xmit_base, 1, "... from the base");
	is_int(parse(INST(" use_vmac\n unicast_peer {\n 192.0.2.2\n }\n")), 0,
	    "use_vmac with unicast_peer");
	is_int(in->ci_vmac_xmit_base, 1, "... implies vmac_xmit_base");
	ok(strstr(err, "warning: vrrp_instance I: use_vmac with unicast_peer: "
	    "vmac_xmit_base implied") != NULL, "... with a warning");
	ok(parse(INST(" use_vmac vip0 00:00:5e:00:01:33\n")) > 0,
	    "a MAC address of one's own: an error");
	ok(parse(INST(" use_vmac 00:00:5e:00:01\n")) > 0,
	    "... also alone");
	ok(parse(INST(" use_vmac averyveryverylongname\n")) > 0,
	    "a name longer than an interface's: an error");
	ok(parse(INST(" vmac_xmit_base 1\n")) > 0,
	    "vmac_xmit_base takes no argument");
}

int
main(void)
{
	test_track_file();
	test_track_process();
	test_vmac();
	return done_testing();
}
