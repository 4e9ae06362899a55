package provider_test

import (
	"testing"

	"github.com/assume-cli/assume/internal/provider"
	"github.com/assume-cli/assume/internal/testkit"
)

// The one code rule (internal/mfa) holds for -m and for the prompt alike:
// "123 456", as apps show it, reaches STS as 123456.
func TestCodesWithASpaceReachSTSAsSixDigits(t *testing.T) {
	e := newEnv(t)
	if err := provider.ValidateCode("123 456"); err != nil {
		t.Fatalf("-m '123 456' refused: %v", err)
	}
	e.codes.Code = "123 456"
	e.mustGet(t, "alice", nil)

	e.codes.Code = ""
	asked := &testkit.Prompter{Answers: testkit.Replies("123 456")}
	e.codes.Prompter = asked
	e.mustGet(t, "alice", func(o *provider.Options) { o.Refresh = true })
	calls := e.sts.Calls()
	if len(calls) != 2 || calls[0].TokenCode != "123456" || calls[1].TokenCode != "123456" {
		t.Fatalf("calls = %+v, want two GetSessionToken calls with TokenCode 123456", calls)
	}
	if len(asked.Asked) != 1 {
		t.Fatalf("asked %q, want one prompt", asked.Asked)
	}
}
