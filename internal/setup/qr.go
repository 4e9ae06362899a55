package setup

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"net/url"
	"strings"
)

// qrModules reads the QR code in a PNG (as CreateVirtualMFADevice returns it) back into its modules: true is a
// dark module. It finds the code's extent from its dark pixels and the module size from the top-left finder
// pattern, which is 7 modules wide, so it needs no QR library. It fails on anything that is not a plain,
// axis-aligned QR code image, so the caller can fall back to showing the secret as text.
func qrModules(pngData []byte) ([][]bool, error) {
	if len(pngData) == 0 {
		return nil, errors.New("no QR code image")
	}
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		return nil, fmt.Errorf("AWS sent an image that is not a readable PNG (%v)", err)
	}
	b := img.Bounds()
	dark := func(x, y int) bool {
		if !(image.Point{x, y}).In(b) {
			return false
		}
		g := color.GrayModel.Convert(img.At(x, y)).(color.Gray)
		_, _, _, a := img.At(x, y).RGBA()
		return a > 0x8000 && g.Y < 128
	}

	minX, minY, maxX, maxY := b.Max.X, b.Max.Y, b.Min.X-1, b.Min.Y-1
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if dark(x, y) {
				minX, minY = min(minX, x), min(minY, y)
				maxX, maxY = max(maxX, x), max(maxY, y)
			}
		}
	}
	if maxX < minX {
		return nil, errors.New("the QR code image is blank")
	}
	// The top-left finder pattern starts with a run of 7 dark modules on the code's first row.
	run := 0
	for x := minX; x <= maxX && dark(x, minY); x++ {
		run++
	}
	module := float64(run) / 7
	width, height := float64(maxX-minX+1), float64(maxY-minY+1)
	if module < 1 || math.Abs(width-height) > module {
		return nil, errors.New("the image does not look like a QR code")
	}
	// A scaled or smoothed image can make the estimate miss by a module: try the valid sizes (21 + 4k) nearest
	// to it, and keep the one whose finder patterns are where they must be.
	estimate := width / module
	base := 21 + 4*int(math.Round((estimate-21)/4))
	for _, n := range []int{base, base + 4, base - 4} {
		if n < 21 || n > 177 {
			continue
		}
		if modules := sample(n, minX, minY, width, height, dark); hasFinderPatterns(modules) {
			return modules, nil
		}
	}
	return nil, errors.New("the image does not look like a QR code")
}

// sample reads an n×n grid of modules from the centre of each module's square.
func sample(n, minX, minY int, width, height float64, dark func(x, y int) bool) [][]bool {
	modules := make([][]bool, n)
	for row := range modules {
		modules[row] = make([]bool, n)
		for col := range modules[row] {
			x := minX + int((float64(col)+0.5)*width/float64(n))
			y := minY + int((float64(row)+0.5)*height/float64(n))
			modules[row][col] = dark(x, y)
		}
	}
	return modules
}

// hasFinderPatterns checks the three 7×7 corner squares every QR code has: a dark ring, a light ring, a dark core.
func hasFinderPatterns(m [][]bool) bool {
	n := len(m)
	for _, corner := range [][2]int{{0, 0}, {0, n - 7}, {n - 7, 0}} {
		for r := 0; r < 7; r++ {
			for c := 0; c < 7; c++ {
				ring := max(abs(r-3), abs(c-3))
				want := ring != 2
				if m[corner[0]+r][corner[1]+c] != want {
					return false
				}
			}
		}
	}
	return true
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// quietZone is the light margin drawn around the code, in modules. The standard asks for 4; phone scanners read
// 2 well, and a smaller code fits more terminals.
const quietZone = 2

// drawQR draws modules with Unicode half blocks, two module rows per text line. The colours are set explicitly
// (light modules as bright white blocks on black) so that the code reads the same on dark and light terminal
// themes.
func drawQR(w io.Writer, modules [][]bool) error {
	n := len(modules) + 2*quietZone
	light := func(row, col int) bool {
		r, c := row-quietZone, col-quietZone
		if row >= n {
			return false // below the quiet zone when the row count is odd: background
		}
		if r < 0 || c < 0 || r >= len(modules) || c >= len(modules) {
			return true
		}
		return !modules[r][c]
	}
	var b strings.Builder
	for row := 0; row < n; row += 2 {
		b.WriteString("\x1b[40;97m")
		for col := 0; col < n; col++ {
			switch top, bottom := light(row, col), light(row+1, col); {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteString(" ")
			}
		}
		b.WriteString("\x1b[0m\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// otpauthURI is what the QR code of a virtual MFA device encodes, in the key URI format authenticator apps read.
func otpauthURI(deviceName, account, seed string) string {
	// Spaces as %20, not "+": apps read the parameters with path rules and would show a literal plus sign.
	label := url.PathEscape("Amazon Web Services:" + deviceName + "@" + account)
	return "otpauth://totp/" + label + "?secret=" + url.PathEscape(seed) + "&issuer=" + url.PathEscape("Amazon Web Services")
}

// groupSeed writes a Base32 secret in groups of four, which is easier to type without losing one's place.
func groupSeed(seed string) string {
	var b strings.Builder
	for i := 0; i < len(seed); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(seed[i:min(i+4, len(seed))])
	}
	return b.String()
}
