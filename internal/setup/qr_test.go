package setup

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"
)

// sampleModules makes an n×n module matrix with a QR code's three finder patterns (and their light separators)
// and random data elsewhere.
func sampleModules(n int, seed uint64) [][]bool {
	rng := rand.New(rand.NewPCG(seed, seed))
	m := make([][]bool, n)
	for r := range m {
		m[r] = make([]bool, n)
		for c := range m[r] {
			m[r][c] = rng.IntN(2) == 0
		}
	}
	for _, corner := range [][2]int{{0, 0}, {0, n - 7}, {n - 7, 0}} {
		for r := -1; r <= 7; r++ {
			for c := -1; c <= 7; c++ {
				row, col := corner[0]+r, corner[1]+c
				if row < 0 || col < 0 || row >= n || col >= n {
					continue
				}
				ring := max(abs(r-3), abs(c-3))
				m[row][col] = ring != 2 && ring <= 3
			}
		}
	}
	return m
}

// encodePNG draws modules as a PNG the way QR code generators do: scale pixels a module, a light quiet zone.
func encodePNG(t testing.TB, modules [][]bool, scale, quiet int) []byte {
	t.Helper()
	size := (len(modules) + 2*quiet) * scale
	img := image.NewGray(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			r, c := y/scale-quiet, x/scale-quiet
			v := color.Gray{Y: 255}
			if r >= 0 && c >= 0 && r < len(modules) && c < len(modules) && modules[r][c] {
				v = color.Gray{Y: 0}
			}
			img.SetGray(x, y, v)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// parseDrawing reads a QR code drawn by drawQR back into modules, checking the light quiet zone around it.
func parseDrawing(t testing.TB, text string) [][]bool {
	t.Helper()
	var light [][]bool
	for _, line := range strings.Split(text, "\n") {
		body, ok := strings.CutPrefix(line, "\x1b[40;97m")
		if !ok {
			continue
		}
		body, ok = strings.CutSuffix(body, "\x1b[0m")
		if !ok {
			t.Fatalf("a QR line does not reset the colours: %q", line)
		}
		var top, bottom []bool
		for _, r := range body {
			switch r {
			case '█':
				top, bottom = append(top, true), append(bottom, true)
			case '▀':
				top, bottom = append(top, true), append(bottom, false)
			case '▄':
				top, bottom = append(top, false), append(bottom, true)
			case ' ':
				top, bottom = append(top, false), append(bottom, false)
			default:
				t.Fatalf("unexpected %q in a QR line", r)
			}
		}
		light = append(light, top, bottom)
	}
	if len(light) == 0 {
		t.Fatalf("no QR code drawn in:\n%s", text)
	}
	width := len(light[0])
	n := width - 2*quietZone
	modules := make([][]bool, n)
	for r := 0; r < width; r++ {
		for c := 0; c < width; c++ {
			inside := r >= quietZone && c >= quietZone && r < quietZone+n && c < quietZone+n
			if !inside && !light[r][c] {
				t.Fatalf("the quiet zone is dark at row %d, column %d", r, c)
			}
			if inside {
				if modules[r-quietZone] == nil {
					modules[r-quietZone] = make([]bool, n)
				}
				modules[r-quietZone][c-quietZone] = !light[r][c]
			}
		}
	}
	return modules
}

func equalModules(a, b [][]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for r := range a {
		if len(a[r]) != len(b[r]) {
			return false
		}
		for c := range a[r] {
			if a[r][c] != b[r][c] {
				return false
			}
		}
	}
	return true
}

func TestQRModulesRoundTrip(t *testing.T) {
	for _, tc := range []struct{ n, scale, quiet int }{
		{21, 1, 0}, {25, 4, 4}, {29, 7, 2}, {33, 3, 1}, {57, 5, 4},
	} {
		modules := sampleModules(tc.n, uint64(tc.n*tc.scale))
		got, err := qrModules(encodePNG(t, modules, tc.scale, tc.quiet))
		if err != nil {
			t.Errorf("n=%d scale=%d quiet=%d: %v", tc.n, tc.scale, tc.quiet, err)
			continue
		}
		if !equalModules(got, modules) {
			t.Errorf("n=%d scale=%d quiet=%d: modules read back differ", tc.n, tc.scale, tc.quiet)
		}
		var drawing strings.Builder
		if err := drawQR(&drawing, got); err != nil {
			t.Fatal(err)
		}
		if !equalModules(parseDrawing(t, drawing.String()), modules) {
			t.Errorf("n=%d: the drawing does not show the modules:\n%s", tc.n, drawing.String())
		}
		if lines := strings.Count(drawing.String(), "\n"); lines != (tc.n+2*quietZone+1)/2 {
			t.Errorf("n=%d: %d lines, want two module rows a line", tc.n, lines)
		}
	}
}

// encodeSmoothPNG draws modules at a fractional scale with smoothed edges, as a resized image has: each pixel is
// as grey as the share of it that dark modules cover.
func encodeSmoothPNG(t testing.TB, modules [][]bool, scale float64, quiet int) []byte {
	t.Helper()
	size := int(float64(len(modules)+2*quiet) * scale)
	img := image.NewGray(image.Rect(0, 0, size, size))
	const sub = 4
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			darkShare := 0
			for sy := 0; sy < sub; sy++ {
				for sx := 0; sx < sub; sx++ {
					r := int((float64(y)+(float64(sy)+0.5)/sub)/scale) - quiet
					c := int((float64(x)+(float64(sx)+0.5)/sub)/scale) - quiet
					if r >= 0 && c >= 0 && r < len(modules) && c < len(modules) && modules[r][c] {
						darkShare++
					}
				}
			}
			img.SetGray(x, y, color.Gray{Y: uint8(255 - 255*darkShare/(sub*sub))})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestQRModulesFromAResizedImage(t *testing.T) {
	for _, tc := range []struct {
		n     int
		scale float64
	}{{25, 4.6}, {33, 3.3}, {37, 6.75}, {41, 2.5}} {
		modules := sampleModules(tc.n, uint64(tc.n))
		got, err := qrModules(encodeSmoothPNG(t, modules, tc.scale, 4))
		if err != nil {
			t.Errorf("n=%d scale=%.2f: %v", tc.n, tc.scale, err)
			continue
		}
		if !equalModules(got, modules) {
			t.Errorf("n=%d scale=%.2f: modules read back differ", tc.n, tc.scale)
		}
	}
}

func TestQRModulesRejectsWhatIsNotAQRCode(t *testing.T) {
	blank := image.NewGray(image.Rect(0, 0, 50, 50))
	for i := range blank.Pix {
		blank.Pix[i] = 255
	}
	var blankPNG bytes.Buffer
	_ = png.Encode(&blankPNG, blank)
	noFinders := sampleModules(25, 1)
	noFinders[3][3] = false // the top-left finder's core
	for name, data := range map[string][]byte{
		"empty":       nil,
		"not a PNG":   []byte("moto sends random bytes"),
		"blank":       blankPNG.Bytes(),
		"bad finders": encodePNG(t, noFinders, 3, 2),
		"bad size":    encodePNG(t, sampleModules(23, 2), 3, 2),
	} {
		if _, err := qrModules(data); err == nil {
			t.Errorf("%s: accepted as a QR code", name)
		}
	}
}

func TestOtpauthURI(t *testing.T) {
	got := otpauthURI("alice.phone", "123456789012", "JBSWY3DPEHPK3PXP")
	want := "otpauth://totp/Amazon%20Web%20Services:alice.phone@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services"
	if got != want {
		t.Errorf("otpauthURI = %s\nwant %s", got, want)
	}
}

func TestGroupSeed(t *testing.T) {
	if got := groupSeed("ABCDEFGHIJ"); got != "ABCD EFGH IJ" {
		t.Errorf("groupSeed = %q", got)
	}
}
