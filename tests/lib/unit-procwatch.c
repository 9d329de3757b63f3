/* SPDX-License-Identifier: ISC */
/* Which of the kernel's process events are a process's, not a thread's. */
#include <linux/cn_proc.h>
#include <string.h>

#include "procwatch.h"
#include "tap.h"

static struct proc_event
event(int what, int a, int b, int c)
{
	struct proc_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.what = what;
	switch (what) {
	case PROC_EVENT_FORK:
		ev.event_data.fork.parent_tgid = a;
		ev.event_data.fork.child_pid = b;
		ev.event_data.fork.child_tgid = c;
		break;
	case PROC_EVENT_EXEC:
		ev.event_data.exec.process_pid = b;
		ev.event_data.exec.process_tgid = c;
		break;
	case PROC_EVENT_COMM:
		ev.event_data.comm.process_pid = b;
		ev.event_data.comm.process_tgid = c;
		break;
	case PROC_EVENT_UID:
		ev.event_data.id.process_pid = b;
		ev.event_data.id.process_tgid = c;
		break;
	case PROC_EVENT_EXIT:
		ev.event_data.exit.process_pid = b;
		ev.event_data.exit.process_tgid = c;
		break;
	}
	return ev;
}

int
main(void)
{
	static const struct { int what; const char *name; } leader[] = {
		{ PROC_EVENT_COMM, "comm" }, { PROC_EVENT_UID, "uid" },
		{ PROC_EVENT_EXIT, "exit" },
	};
	struct proc_event ev;
	pid_t pid = 0, parent = 0;
	size_t i;

	ev = event(PROC_EVENT_FORK, 10, 20, 20);
	is_int(procwatch_process(&ev, &pid, &parent), PROC_EVENT_FORK,
	    "a process forked");
	is_int(pid, 20, "the child");
	is_int(parent, 10, "its parent");
	ev = event(PROC_EVENT_FORK, 10, 21, 10);
	is_int(procwatch_process(&ev, &pid, &parent), PROC_EVENT_NONE,
	    "a new thread is no new process");

	ev = event(PROC_EVENT_EXEC, 0, 30, 30);
	pid = 0;
	is_int(procwatch_process(&ev, &pid, &parent), PROC_EVENT_EXEC, "exec");
	is_int(pid, 30, "exec: the process");

	for (i = 0; i < sizeof(leader) / sizeof(leader[0]); i++) {
		ev = event(leader[i].what, 0, 40, 40);
		pid = 0;
		is_int(procwatch_process(&ev, &pid, &parent), leader[i].what,
		    "%s of a group leader", leader[i].name);
		is_int(pid, 40, "%s: the process", leader[i].name);
		ev = event(leader[i].what, 0, 41, 40);
		is_int(procwatch_process(&ev, &pid, &parent), PROC_EVENT_NONE,
		    "%s of another thread: none", leader[i].name);
	}
	ev = event(PROC_EVENT_SID, 0, 50, 50);
	is_int(procwatch_process(&ev, &pid, &parent), PROC_EVENT_NONE,
	    "setsid: none");
	return done_testing();
}
