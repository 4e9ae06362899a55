//go:build !unix

package testkit

import (
	"os/exec"
	"time"
)

// Detach has nothing to do where there is no controlling terminal to leave.
func Detach(*exec.Cmd) {}

// OwnProcessGroup has nothing to do where there are no process groups.
func OwnProcessGroup(*exec.Cmd) {}

// waitGone has no way to watch a process here; it returns at once.
func waitGone([]int, time.Duration) {}
