// Command credpoll is a child for `assume PROFILE --server -- COMMAND` in the terminal tests: it
// asks the credential endpoint for credentials, three requests at a time, five times a second,
// until the access key changes (or two minutes pass), then prints both keys.
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"sync"
	"time"
)

func main() {
	url, token := os.Getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI"), os.Getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN")
	client := &http.Client{Timeout: 10 * time.Second}
	first := ""
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		keys := make([]string, 3)
		var wg sync.WaitGroup
		for i := range keys {
			wg.Add(1)
			go func() {
				defer wg.Done()
				keys[i] = fetch(client, url, token)
			}()
		}
		wg.Wait()
		for _, k := range keys {
			switch {
			case k == "":
			case first == "":
				first = k
			case k != first:
				fmt.Printf("renewed from %s to %s\n", first, k)
				return
			}
		}
	}
	fmt.Println("credpoll: no renewal")
	os.Exit(3)
}

func fetch(client *http.Client, url, token string) string {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return ""
	}
	req.Header.Set("Authorization", token)
	res, err := client.Do(req)
	if err != nil {
		return ""
	}
	defer res.Body.Close()
	var body struct{ AccessKeyId string }
	if res.StatusCode != http.StatusOK || json.NewDecoder(res.Body).Decode(&body) != nil {
		return ""
	}
	return body.AccessKeyId
}
