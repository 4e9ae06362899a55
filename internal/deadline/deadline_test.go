package deadline

import (
	"strings"
	"testing"
	"time"
)

func TestFromEnv(t *testing.T) {
	cases := []struct {
		network, process string
		want             Limits
		err              string
	}{
		{"", "", Limits{}, ""},
		{"5s", "2m", Limits{Network: 5 * time.Second, Process: 2 * time.Minute}, ""},
		{"45", "", Limits{Network: 45 * time.Second}, ""},
		{"0", "", Limits{}, `ASSUME_TIMEOUT="0" is not a positive duration`},
		{"", "-1m", Limits{}, `ASSUME_PROCESS_TIMEOUT="-1m" is not a positive duration`},
		{"soon", "", Limits{}, `ASSUME_TIMEOUT="soon" is not a positive duration: use forms like 30s, 2m or 45`},
	}
	for _, c := range cases {
		env := map[string]string{NetworkVar: c.network, ProcessVar: c.process}
		got, err := FromEnv(func(k string) string { return env[k] })
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q, %q: err = %v, want %q", c.network, c.process, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q, %q: got %+v, %v; want %+v", c.network, c.process, got, err, c.want)
		}
	}
	if d := (Limits{}).NetworkOrDefault(); d != DefaultNetwork {
		t.Errorf("default network deadline = %s", d)
	}
	if d := (Limits{}).ProcessOrDefault(); d != DefaultProcess {
		t.Errorf("default process deadline = %s", d)
	}
}
