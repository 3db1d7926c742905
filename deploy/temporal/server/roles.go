package main

// The roles file: which client certificate (by its subject's common name) may do what.
//
//	identities:
//	  admin: {system: admin}
//	  kernelctl: {namespaces: {default: writer}}
//
// A certificate whose CN is not listed gets no role: the default authorizer refuses it every API
// but the health checks. Role names are those of Temporal's default authorizer: reader (read-only
// APIs), writer (start, signal, terminate, poll), admin (namespaces, search attributes, cluster).

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"go.temporal.io/server/common/authorization"
	"gopkg.in/yaml.v3"
)

type identityRoles struct {
	System     string            `yaml:"system"`
	Namespaces map[string]string `yaml:"namespaces"`
}

type rolesFile struct {
	Identities map[string]identityRoles `yaml:"identities"`
}

var roleNames = map[string]authorization.Role{
	"reader": authorization.RoleReader,
	"writer": authorization.RoleWriter,
	"admin":  authorization.RoleAdmin,
}

func parseRole(name, field string) (authorization.Role, error) {
	if r, ok := roleNames[name]; ok {
		return r, nil
	}
	return authorization.RoleUndefined, fmt.Errorf("%s: unknown role %q (reader, writer or admin)", field, name)
}

// parseRoles reads the roles file's text into claims by certificate CN; any unknown key, role or
// empty name is refused with the field named, so a typo never grants or silently drops a right.
func parseRoles(text []byte) (map[string]authorization.Claims, error) {
	var f rolesFile
	dec := yaml.NewDecoder(strings.NewReader(string(text)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("roles file: %w", err)
	}
	if len(f.Identities) == 0 {
		return nil, fmt.Errorf("roles file: identities: none listed")
	}
	out := make(map[string]authorization.Claims, len(f.Identities))
	names := make([]string, 0, len(f.Identities))
	for cn := range f.Identities {
		names = append(names, cn)
	}
	sort.Strings(names)
	for _, cn := range names {
		ir := f.Identities[cn]
		if strings.TrimSpace(cn) == "" {
			return nil, fmt.Errorf("roles file: identities: an empty common name")
		}
		claims := authorization.Claims{Subject: cn}
		if ir.System != "" {
			r, err := parseRole(ir.System, fmt.Sprintf("identities.%s.system", cn))
			if err != nil {
				return nil, fmt.Errorf("roles file: %w", err)
			}
			claims.System = r
		}
		for ns, role := range ir.Namespaces {
			if strings.TrimSpace(ns) == "" {
				return nil, fmt.Errorf("roles file: identities.%s.namespaces: an empty namespace name", cn)
			}
			r, err := parseRole(role, fmt.Sprintf("identities.%s.namespaces.%s", cn, ns))
			if err != nil {
				return nil, fmt.Errorf("roles file: %w", err)
			}
			if claims.Namespaces == nil {
				claims.Namespaces = map[string]authorization.Role{}
			}
			claims.Namespaces[ns] = r
		}
		if claims.System == authorization.RoleUndefined && len(claims.Namespaces) == 0 {
			return nil, fmt.Errorf("roles file: identities.%s: no role (give it system or namespaces, or leave it out)", cn)
		}
		out[cn] = claims
	}
	return out, nil
}

func loadRoles(path string) (map[string]authorization.Claims, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("roles file: %w", err)
	}
	roles, err := parseRoles(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return roles, nil
}
