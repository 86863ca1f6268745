-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "cluster" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "source_kind" TEXT NOT NULL,
    "context" TEXT,
    "in_cluster" BOOLEAN NOT NULL DEFAULT false,
    "manifests_dir" TEXT,
    "every_seconds" INTEGER NOT NULL,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removed_at" TIMESTAMPTZ(3),

    CONSTRAINT "cluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "snapshot" (
    "id" SERIAL NOT NULL,
    "cluster_id" INTEGER NOT NULL,
    "taken_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,
    "content_hash" TEXT,
    "duration_ms" INTEGER,
    "counts" JSONB,
    "problems" JSONB,
    "error" TEXT,
    "job_id" TEXT,

    CONSTRAINT "snapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "object_version" (
    "id" BIGSERIAL NOT NULL,
    "cluster_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "valid_from" INTEGER NOT NULL,
    "valid_to" INTEGER,

    CONSTRAINT "object_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reach_version" (
    "id" BIGSERIAL NOT NULL,
    "cluster_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "valid_from" INTEGER NOT NULL,
    "valid_to" INTEGER,

    CONSTRAINT "reach_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "current_pod" (
    "cluster_id" INTEGER NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "workload_id" TEXT NOT NULL,
    "ips" TEXT[],
    "snapshot_id" INTEGER NOT NULL,

    CONSTRAINT "current_pod_pkey" PRIMARY KEY ("cluster_id","namespace","name")
);

-- CreateTable
CREATE TABLE "exposure_event" (
    "id" BIGSERIAL NOT NULL,
    "cluster_id" INTEGER NOT NULL,
    "snapshot_id" INTEGER NOT NULL,
    "change" TEXT NOT NULL,
    "src" TEXT NOT NULL,
    "dst" TEXT NOT NULL,
    "before" JSONB NOT NULL,
    "after" JSONB NOT NULL,
    "gained" JSONB NOT NULL,
    "lost" JSONB NOT NULL,
    "causes" JSONB NOT NULL,

    CONSTRAINT "exposure_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "cluster_name_idx" ON "cluster"("name");

-- CreateIndex
CREATE INDEX "snapshot_cluster_id_taken_at_idx" ON "snapshot"("cluster_id", "taken_at");

-- CreateIndex
CREATE INDEX "object_version_cluster_id_kind_key_valid_from_idx" ON "object_version"("cluster_id", "kind", "key", "valid_from");

-- CreateIndex
CREATE INDEX "object_version_cluster_id_valid_to_idx" ON "object_version"("cluster_id", "valid_to");

-- CreateIndex
CREATE INDEX "reach_version_cluster_id_kind_key_valid_from_idx" ON "reach_version"("cluster_id", "kind", "key", "valid_from");

-- CreateIndex
CREATE INDEX "reach_version_cluster_id_valid_to_idx" ON "reach_version"("cluster_id", "valid_to");

-- CreateIndex
CREATE INDEX "exposure_event_cluster_id_dst_snapshot_id_idx" ON "exposure_event"("cluster_id", "dst", "snapshot_id");

-- CreateIndex
CREATE INDEX "exposure_event_cluster_id_src_snapshot_id_idx" ON "exposure_event"("cluster_id", "src", "snapshot_id");

-- CreateIndex
CREATE INDEX "exposure_event_cluster_id_snapshot_id_idx" ON "exposure_event"("cluster_id", "snapshot_id");

-- AddForeignKey
ALTER TABLE "snapshot" ADD CONSTRAINT "snapshot_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- A name is unique among clusters not removed (removed ones keep their history under it).
CREATE UNIQUE INDEX "cluster_name_active_key" ON "cluster"("name") WHERE "removed_at" IS NULL;

-- Current versions are looked up on every snapshot.
CREATE INDEX "object_version_current_idx" ON "object_version"("cluster_id", "kind", "key") WHERE "valid_to" IS NULL;
CREATE INDEX "reach_version_current_idx" ON "reach_version"("cluster_id", "kind", "key") WHERE "valid_to" IS NULL;
