export AWS_ACCESS_KEY_ID='ASIAIOSFODNN7EXAMPLE'
export AWS_SECRET_ACCESS_KEY='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
export AWS_SESSION_TOKEN='FwoGZXIvYXdzEBYaDEXAMPLE+token/with=base64=='
export AWS_CREDENTIAL_EXPIRATION='2030-01-02T03:04:05Z'
export AWS_REGION='us-east-1'
export AWS_DEFAULT_REGION='us-east-1'
export ASSUME_PROFILE=$'it\'s "q" \xe2\x80\x98a\xe2\x80\x99 \xe2\x80\x9ab\xe2\x80\x9b `id` $(touch canary) ${HOME} \\ ; ! #\x09tab\x0aline\x0d\x01\x7f \xc3\xa9 \xf0\x9f\x92\xa5'
export AWSUME_PROFILE=$'it\'s "q" \xe2\x80\x98a\xe2\x80\x99 \xe2\x80\x9ab\xe2\x80\x9b `id` $(touch canary) ${HOME} \\ ; ! #\x09tab\x0aline\x0d\x01\x7f \xc3\xa9 \xf0\x9f\x92\xa5'
unset AWS_SECURITY_TOKEN
unset AWS_PROFILE
unset AWS_DEFAULT_PROFILE
unset AWS_VAULT
unset AWSU_PROFILE
unset AWS_SSO_PROFILE
