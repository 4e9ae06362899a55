package testkit

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// TOTP is the code an authenticator app shows at a moment: RFC 6238 with the parameters of
// every virtual MFA app (HMAC-SHA1, 30 s, 6 digits), from the Base32 seed AWS hands out.
func TOTP(base32Seed string, at time.Time) (string, error) {
	seed := strings.ToUpper(strings.TrimRight(strings.TrimSpace(base32Seed), "="))
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(seed)
	if err != nil {
		return "", fmt.Errorf("TOTP seed is not Base32: %w", err)
	}
	var counter [8]byte
	binary.BigEndian.PutUint64(counter[:], uint64(at.Unix()/30))
	mac := hmac.New(sha1.New, key)
	mac.Write(counter[:])
	sum := mac.Sum(nil)
	offset := sum[len(sum)-1] & 0x0f
	value := binary.BigEndian.Uint32(sum[offset:offset+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", value%1_000_000), nil
}
