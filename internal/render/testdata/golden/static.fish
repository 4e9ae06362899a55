set -gx AWS_ACCESS_KEY_ID 'AKIAIOSFODNN7EXAMPLE';
set -gx AWS_SECRET_ACCESS_KEY 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY';
set -gx ASSUME_PROFILE 'dev-static';
if set -q -g AWS_SESSION_TOKEN; set -e -g AWS_SESSION_TOKEN; end;
if set -q -g AWS_SECURITY_TOKEN; set -e -g AWS_SECURITY_TOKEN; end;
if set -q -g AWS_CREDENTIAL_EXPIRATION; set -e -g AWS_CREDENTIAL_EXPIRATION; end;
if set -q -g AWS_PROFILE; set -e -g AWS_PROFILE; end;
if set -q -g AWS_DEFAULT_PROFILE; set -e -g AWS_DEFAULT_PROFILE; end;
