// Package refcheck holds the differential test of how assume reads the shared config and credentials files: each
// profile of a corpus is resolved by assume, by botocore (the AWS CLI's reader) and by the AWS SDK for Go v2, and
// every disagreement must be listed, with its reason, in testdata/disagreements.txt. The package has no code of its
// own.
package refcheck
