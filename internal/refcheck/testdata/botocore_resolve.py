"""Resolve profiles the way the AWS CLI does, with botocore, and print one outcome per profile as JSON.

Input on stdin, a JSON list of jobs: {"env": {variable: value}, "names": [profile...]}; the env names the files
(AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE) and the fake STS (AWS_ENDPOINT_URL_STS), where a marker call
separates one profile's calls from the next. The profiles botocore lists are resolved too. Output: a JSON list of
{profile: outcome}, one per job.
Only the profile's own providers run: the environment, instance metadata and container providers are skipped.
"""
import json
import os
import sys
import urllib.parse
import urllib.request

import botocore.session

SKIPPED = {"env", "container-role", "iam-role", "boto-config", "ec2-credentials-file"}


def mark(name):
    data = urllib.parse.urlencode({"Action": "Marker", "RoleSessionName": name}).encode()
    try:
        urllib.request.urlopen(os.environ["AWS_ENDPOINT_URL_STS"], data=data, timeout=5)
    except Exception:
        pass  # the fake answers markers with an error; only the record matters


def keys(creds):
    f = creds.get_frozen_credentials()
    return "%s/%s/%s" % (f.access_key or "", f.secret_key or "", f.token or "")


def resolve(name):
    session = botocore.session.Session(profile=name)
    resolver = session.get_component("credential_provider")
    creds = None
    for provider in resolver.providers:
        if provider.METHOD in SKIPPED:
            continue
        creds = provider.load()
        if creds is not None:
            break
    if creds is None:
        return "none"
    method = creds.method
    if method in ("shared-credentials-file", "config-file"):
        return "keys " + keys(creds)
    if method == "assume-role":
        profile = session.full_config["profiles"][name]
        role = profile["role_arn"]
        if profile.get("mfa_serial"):
            return "role %s mfa" % role
        try:
            creds.get_frozen_credentials()
        except Exception:
            return "role %s error" % role
        return "role " + role
    if method == "custom-process":
        return "process " + keys(creds)
    if method == "assume-role-with-web-identity":
        return "web-identity"
    return method  # sso, login


def main():
    jobs = json.load(sys.stdin)
    results = []
    for job in jobs:
        os.environ.update(job["env"])
        names = list(job["names"] or [])
        try:
            names += [n for n in botocore.session.Session().available_profiles if n not in names]
        except Exception:
            pass  # a file botocore cannot parse: every profile fails below
        out = {}
        for name in names:
            mark(name)
            try:
                out[name] = resolve(name)
            except Exception as e:  # botocore refuses the profile
                out[name] = "error " + type(e).__name__
        results.append(out)
    print(json.dumps(results))


main()
