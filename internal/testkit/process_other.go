//go:build !unix

package testkit

import "os/exec"

// Detach has nothing to do where there is no controlling terminal to leave.
func Detach(*exec.Cmd) {}

// OwnProcessGroup has nothing to do where there are no process groups.
func OwnProcessGroup(*exec.Cmd) {}
