package main

import (
	"context"
	"crypto/x509/pkix"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"go.temporal.io/server/common/authorization"
)

// The shipped roles file, next to production.yaml.
func shippedRoles(t *testing.T) map[string]authorization.Claims {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	roles, err := loadRoles(filepath.Join(filepath.Dir(here), "..", "config", "roles.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return roles
}

func certInfo(cn string) *authorization.AuthInfo {
	return &authorization.AuthInfo{TLSSubject: &pkix.Name{CommonName: cn}}
}

const (
	wf = "/temporal.api.workflowservice.v1.WorkflowService/"
	op = "/temporal.api.operatorservice.v1.OperatorService/"
)

// allowed: what Temporal's default authorizer decides for the claims this mapper gives.
func allowed(t *testing.T, m authorization.ClaimMapper, info *authorization.AuthInfo, api, namespace string) bool {
	t.Helper()
	claims, err := m.GetClaims(info)
	if err != nil {
		t.Fatalf("GetClaims: %v", err)
	}
	res, err := authorization.NewDefaultAuthorizer().Authorize(context.Background(), claims,
		&authorization.CallTarget{APIName: api, Namespace: namespace})
	if err != nil {
		t.Fatal(err)
	}
	return res.Decision == authorization.DecisionAllow
}

func TestShippedRoles(t *testing.T) {
	m := newClaimMapper(shippedRoles(t), nil)
	cases := []struct {
		cn, api, ns string
		want        bool
	}{
		// The server's own system workers and the admin: everything, every namespace.
		{"worker", op + "AddSearchAttributes", "other", true},
		{"admin", wf + "RegisterNamespace", "other", true},
		{"admin", op + "AddSearchAttributes", "default", true},
		// The UI: reads everything, changes nothing.
		{"ui", wf + "ListNamespaces", "", true},
		{"ui", wf + "DescribeWorkflowExecution", "default", true},
		{"ui", wf + "ListWorkflowExecutions", "default", true},
		{"ui", wf + "TerminateWorkflowExecution", "default", false},
		{"ui", wf + "SignalWorkflowExecution", "default", false},
		{"ui", wf + "StartWorkflowExecution", "default", false},
		// kernel-rollout's worker: polls and completes in `default`, nothing elsewhere, no admin.
		{"kernel-rollout-worker", wf + "PollWorkflowTaskQueue", "default", true},
		{"kernel-rollout-worker", wf + "RespondActivityTaskCompleted", "default", true},
		{"kernel-rollout-worker", op + "ListSearchAttributes", "default", true},
		{"kernel-rollout-worker", op + "AddSearchAttributes", "default", false},
		{"kernel-rollout-worker", wf + "PollWorkflowTaskQueue", "other", false},
		{"kernel-rollout-worker", wf + "DescribeNamespace", "other", false},
		{"kernel-rollout-worker", wf + "ListNamespaces", "", false},
		// Operators: start, signal, terminate in `default`.
		{"kernelctl", wf + "StartWorkflowExecution", "default", true},
		{"kernelctl", wf + "SignalWorkflowExecution", "default", true},
		{"kernelctl", wf + "StartWorkflowExecution", "other", false},
		{"kernelctl", wf + "RegisterNamespace", "default", false},
		// The auditor reads `default` only.
		{"auditor", wf + "DescribeWorkflowExecution", "default", true},
		{"auditor", wf + "StartWorkflowExecution", "default", false},
		{"auditor", wf + "DescribeWorkflowExecution", "other", false},
		// A certificate the CA signed for a name the roles file does not list: nothing.
		{"stranger", wf + "DescribeWorkflowExecution", "default", false},
		{"stranger", wf + "ListNamespaces", "", false},
		// Health checks stay open (the SDK's connect calls GetSystemInfo).
		{"stranger", wf + "GetSystemInfo", "", true},
	}
	for _, c := range cases {
		if got := allowed(t, m, certInfo(c.cn), c.api, c.ns); got != c.want {
			t.Errorf("%s %s on %q: allowed %v, want %v", c.cn, strings.TrimPrefix(c.api, "/"), c.ns, got, c.want)
		}
	}
}

func TestNoCertificateNoRole(t *testing.T) {
	m := newClaimMapper(shippedRoles(t), nil)
	if allowed(t, m, &authorization.AuthInfo{}, wf+"DescribeWorkflowExecution", "default") {
		t.Fatal("a request without a certificate was allowed")
	}
}

type fakeJWT struct {
	claims *authorization.Claims
	err    error
	seen   string
}

func (f *fakeJWT) GetClaims(info *authorization.AuthInfo) (*authorization.Claims, error) {
	f.seen = info.AuthToken
	return f.claims, f.err
}

func TestTokenWithKeyProviderUsesJWTClaims(t *testing.T) {
	jwt := &fakeJWT{claims: &authorization.Claims{Subject: "alice", Namespaces: map[string]authorization.Role{"default": authorization.RoleWriter}}}
	m := newClaimMapper(shippedRoles(t), jwt)
	info := certInfo("ui")
	info.AuthToken = "Bearer x.y.z"
	// The UI's certificate alone is a reader; the user's token makes the call a writer's.
	if !allowed(t, m, info, wf+"TerminateWorkflowExecution", "default") {
		t.Fatal("the token's writer role was not used")
	}
	if jwt.seen != "Bearer x.y.z" {
		t.Fatalf("the JWT mapper saw %q", jwt.seen)
	}
	// An invalid token is refused: never mapped by the certificate instead.
	m = newClaimMapper(shippedRoles(t), &fakeJWT{err: errors.New("bad signature")})
	if _, err := m.GetClaims(info); err == nil {
		t.Fatal("an invalid token fell back to the certificate")
	}
}

func TestTokenWithoutKeyProviderIgnored(t *testing.T) {
	m := newClaimMapper(shippedRoles(t), nil)
	info := certInfo("ui")
	info.AuthToken = "Bearer forged"
	if allowed(t, m, info, wf+"TerminateWorkflowExecution", "default") {
		t.Fatal("a token without a key provider raised the UI above reader")
	}
	if !allowed(t, m, info, wf+"DescribeWorkflowExecution", "default") {
		t.Fatal("the UI certificate's reader role was lost")
	}
}

func TestClaimsAreCopies(t *testing.T) {
	m := newClaimMapper(shippedRoles(t), nil)
	c, _ := m.GetClaims(certInfo("kernelctl"))
	c.Namespaces["other"] = authorization.RoleAdmin
	c2, _ := m.GetClaims(certInfo("kernelctl"))
	if _, ok := c2.Namespaces["other"]; ok {
		t.Fatal("a caller's claims changed the roles table")
	}
}

func TestBadRolesRefusedNamingTheField(t *testing.T) {
	cases := map[string]string{
		"identities:\n  kernelctl: {namespaces: {default: writr}}\n": "identities.kernelctl.namespaces.default: unknown role",
		"identities:\n  ui: {system: root}\n":                        "identities.ui.system: unknown role",
		"identities:\n  ui: {sytem: reader}\n":                       "field sytem not found",
		"identities:\n  ui: {}\n":                                    "identities.ui: no role",
		"identities: {}\n":                                           "identities: none listed",
		"identities:\n  ui: {namespaces: {'': reader}}\n":            "identities.ui.namespaces: an empty namespace name",
	}
	for text, want := range cases {
		_, err := parseRoles([]byte(text))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want an error with %q", text, err, want)
		}
	}
	if _, err := loadRoles(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !os.IsNotExist(errors.Unwrap(errors.Unwrap(err))) && !strings.Contains(err.Error(), "no such file") {
		t.Errorf("a missing roles file: %v", err)
	}
}
