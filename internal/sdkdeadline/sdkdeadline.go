// Package sdkdeadline puts assume's network deadline (internal/deadline) on the calls of AWS SDK
// clients. It is apart from internal/deadline because it links the SDK, whose start-up cost the
// runs that make no call must not pay (internal/fastpath).
package sdkdeadline

import (
	"context"
	"errors"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/assume-cli/assume/internal/deadline"
)

// APIOption puts the deadline d on every operation of an AWS SDK client
// (add it to aws.Config.APIOptions or a call's options): the whole call,
// retries and reading the answer included.
func APIOption(d time.Duration) func(*middleware.Stack) error {
	return func(s *middleware.Stack) error {
		// The stack is built for each call, so this is the call's own.
		var endpoint string
		err := s.Finalize.Add(middleware.FinalizeMiddlewareFunc("AssumeDeadlineEndpoint",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				if r, ok := in.Request.(*smithyhttp.Request); ok && r.URL != nil {
					// Scheme and host only: a path or query may carry a capability.
					endpoint = r.URL.Scheme + "://" + r.URL.Host
				}
				return next.HandleFinalize(ctx, in)
			}), middleware.After)
		if err != nil {
			return err
		}
		// After the service metadata is registered, so the error can name
		// the service and the operation.
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("AssumeDeadline",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				type result struct {
					out middleware.InitializeOutput
					md  middleware.Metadata
				}
				r, err := deadline.Call(ctx, d, awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx),
					func(ctx context.Context) (result, error) {
						out, md, err := next.HandleInitialize(ctx, in)
						return result{out, md}, err
					})
				var late *deadline.NetworkError
				if errors.As(err, &late) && late.Endpoint == "" {
					late.Endpoint = endpoint
				}
				return r.out, r.md, err
			}), middleware.After)
	}
}
