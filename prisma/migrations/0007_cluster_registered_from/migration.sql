-- Where a cluster was registered from: `api` (a token) or `operator` (the CLI on the worker's
-- host). Clusters registered before this column have none: a manifests source of theirs outside
-- REACHLOG_MANIFESTS_ROOT is not read until its operator confirms it (`reachlog cluster
-- confirm-source`), since the API could register any path before sources were confined.
ALTER TABLE "cluster" ADD COLUMN "registered_from" TEXT;
