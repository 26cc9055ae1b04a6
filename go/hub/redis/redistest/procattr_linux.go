package redistest

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the child get SIGKILL when the test binary dies
// (a panic or a timeout skips t.Cleanup), so no redis-server is orphaned.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
