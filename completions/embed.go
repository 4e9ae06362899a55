// Package completions holds the tab-completion scripts for `assume`, one real file per shell,
// embedded so the binary can print them (`assume --init SHELL` includes them). Which file
// belongs to which shell is said once, in package shell.
package completions

import "embed"

// Files holds the scripts under their names in this folder.
//
//go:embed assume.bash _assume assume.fish assume.ps1
var Files embed.FS
