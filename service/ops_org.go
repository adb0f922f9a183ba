package service

import (
	"context"

	"github.com/engage-oss/engage/provisioning"
)

// orgRequest is the request wrapper of createOrg, showOrg and deleteOrg.
type orgRequest struct {
	Org *wireOrg `xml:"org"`
}

// child returns the field of the wrapper's child element.
func (r *orgRequest) child(local string) (*string, wireElement) {
	if local == "org" {
		return nil, allocated(&r.Org)
	}
	return nil, nil
}

// orgOperations returns createOrg, showOrg and deleteOrg.
func orgOperations() []operation {
	return []operation{
		op("createOrg", func(ctx context.Context, p *provisioning.Service, r *orgRequest, w *xmlWriter) error {
			return result(w, writeOrg)(p.CreateOrg(ctx, r.Org.input()))
		}),
		op("showOrg", func(ctx context.Context, p *provisioning.Service, r *orgRequest, w *xmlWriter) error {
			return result(w, writeOrg)(p.ShowOrg(ctx, r.Org.ref()))
		}),
		op("deleteOrg", func(ctx context.Context, p *provisioning.Service, r *orgRequest, w *xmlWriter) error {
			return p.DeleteOrg(ctx, r.Org.ref())
		}),
	}
}
