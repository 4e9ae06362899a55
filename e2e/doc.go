// Package e2e holds end-to-end tests of the assume binary: it is built once, run against a local
// moto_server that emulates IAM and STS, and its output is evaluated in real bash, zsh and fish.
// The moto recorder shows what assume sent to STS (MFA serial, code, signing key).
//
// Run with `go test ./e2e/` (or ./scripts/test.sh). Missing tools (moto_server, aws, oathtool,
// chromium, a shell) skip the tests that need them, unless CI=true, where they fail.
package e2e
