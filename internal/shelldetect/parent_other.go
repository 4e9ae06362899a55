//go:build !linux && !darwin && !windows

package shelldetect

func parentName() string { return "" }
