package testkit_test

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/testkit"
)

func TestTOTPMatchesRFC6238(t *testing.T) {
	// RFC 6238 appendix B, SHA-1 seed "12345678901234567890", last 6 of the 8 digits.
	const seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	for unix, want := range map[int64]string{59: "287082", 1111111109: "081804", 1111111111: "050471", 1234567890: "005924", 2000000000: "279037", 20000000000: "353130"} {
		got, err := testkit.TOTP(seed, time.Unix(unix, 0))
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("TOTP at %d = %s, want %s", unix, got, want)
		}
	}
}

func TestTOTPMatchesOathtool(t *testing.T) {
	oathtool := testkit.RequireTool(t, "oathtool")
	// A seed as moto hands it out: 64 Base32 characters.
	const seed = "C5GSP6T7BOHVNECHXZPYEI6PNOKLS7646LO3HKX5MFZMIW6FNM733X4JFTSAM6B3"
	for _, unix := range []int64{0, 1_700_000_000, 1_800_000_029} {
		out, err := exec.Command(oathtool, "--totp", "-b", seed, "-N", "@"+strconv.FormatInt(unix, 10)).Output()
		if err != nil {
			t.Fatalf("oathtool: %v", err)
		}
		got, err := testkit.TOTP(seed, time.Unix(unix, 0))
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.TrimSpace(string(out)); got != want {
			t.Errorf("TOTP at %d = %s, oathtool says %s", unix, got, want)
		}
	}
}
