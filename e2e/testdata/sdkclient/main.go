// Command sdkclient is a child for `assume PROFILE --server -- COMMAND` in the end-to-end tests:
// an ordinary program using the AWS SDK for Go's default credential chain. It loads the SDK
// configuration twice (as two programs would), and for each prints the access key the chain
// found and the caller identity STS sees; then the status of a request to the credential
// endpoint without the token, and which key variables it was given.
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for i := 1; i <= 2; i++ {
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			fail(err)
		}
		creds, err := cfg.Credentials.Retrieve(ctx)
		if err != nil {
			fail(err)
		}
		id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			fail(err)
		}
		fmt.Printf("sdk%d key=%s source=%s arn=%s\n", i, creds.AccessKeyID, creds.Source, aws.ToString(id.Arn))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, os.Getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI"), nil)
	if err != nil {
		fail(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		fail(err)
	}
	res.Body.Close()
	fmt.Printf("without-token status=%d\n", res.StatusCode)
	for _, name := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"} {
		if _, ok := os.LookupEnv(name); ok {
			fmt.Printf("given %s\n", name)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sdkclient:", err)
	os.Exit(3)
}
