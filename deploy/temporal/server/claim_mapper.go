package main

import (
	"maps"

	"go.temporal.io/server/common/authorization"
)

// claimMapper gives a caller its roles:
//   - a request with a JWT (the Authorization header, e.g. forwarded by an OIDC-authenticated
//     web UI) is mapped by Temporal's default JWT claim mapper when a JWT key provider is
//     configured (global.authorization.jwtKeyProvider): the token's own permissions, verified
//     against the provider's keys; an invalid token is refused, never mapped by the certificate;
//   - otherwise the verified client certificate's subject CN is looked up in the roles file;
//   - a CN not listed there, or a request without a certificate, has no role at all.
type claimMapper struct {
	byCN map[string]authorization.Claims
	// nil when no JWT key provider is configured: tokens are then ignored.
	jwt authorization.ClaimMapper
}

var _ authorization.ClaimMapper = (*claimMapper)(nil)

func newClaimMapper(byCN map[string]authorization.Claims, jwt authorization.ClaimMapper) *claimMapper {
	return &claimMapper{byCN: byCN, jwt: jwt}
}

func (m *claimMapper) GetClaims(info *authorization.AuthInfo) (*authorization.Claims, error) {
	if info.AuthToken != "" && m.jwt != nil {
		return m.jwt.GetClaims(info)
	}
	if info.TLSSubject == nil {
		return &authorization.Claims{}, nil
	}
	cn := info.TLSSubject.CommonName
	claims, ok := m.byCN[cn]
	if !ok {
		return &authorization.Claims{Subject: cn}, nil
	}
	// A copy: the authorizer and interceptors must not be able to change the table.
	out := claims
	out.Namespaces = maps.Clone(claims.Namespaces)
	return &out, nil
}
