-- CreateIndex
CREATE INDEX "snapshot_cluster_id_status_id_idx" ON "snapshot"("cluster_id", "status", "id");
