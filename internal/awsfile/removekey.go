package awsfile

import (
	"crypto/subtle"
	"fmt"

	"github.com/assume-cli/assume/internal/atomicfile"
)

// RemoveAccessKey deletes the aws_access_key_id and aws_secret_access_key lines of the credentials file's section
// (with the lines that continue their values), under the same lock and with the same guarantees as DeleteKeys: every
// other byte, the mode and the line endings are kept, and the file is replaced atomically.
//
// It is the last step of moving a key elsewhere, so it removes only the key that was moved: the section must still
// hold accessKeyID with secret, and no aws_session_token (temporary credentials are not a key to move). Otherwise
// nothing is written and the error says why, naming no secret.
func RemoveAccessKey(path, section, accessKeyID, secret string) error {
	name, err := checkSection(section)
	if err != nil {
		return err
	}
	return editFile(path, name, atomicfile.Wait{}, func(doc *document) ([]change, map[string]string, error) {
		v := doc.values
		switch {
		case v == nil || v["aws_access_key_id"] == "":
			return nil, nil, fmt.Errorf("[%s] in %s holds no aws_access_key_id", name, path)
		case v["aws_session_token"] != "":
			return nil, nil, fmt.Errorf("[%s] in %s holds temporary credentials (aws_session_token), not an IAM user's long-term key", name, path)
		case v["aws_access_key_id"] != accessKeyID ||
			subtle.ConstantTimeCompare([]byte(v["aws_secret_access_key"]), []byte(secret)) != 1:
			return nil, nil, fmt.Errorf("[%s] in %s changed while its key was being moved (it now holds access key %s); nothing was removed", name, path, v["aws_access_key_id"])
		}
		return doc.deleteKeys(map[string]bool{"aws_access_key_id": true, "aws_secret_access_key": true})
	})
}
