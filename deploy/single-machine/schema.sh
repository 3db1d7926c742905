#!/bin/sh
# Step 3: both databases' schemas, by deploy/temporal/setup-schema.sh with the SQL tool and the
# schema files in TEMPORAL_PROD_TOOLS. Idempotent: run it after every server upgrade.
. "$(dirname "$0")/settings.sh"
kr_need TEMPORAL_SQL_TOOL "$TEMPORAL_SQL_TOOL"
kr_need POSTGRES_PWD_FILE "$POSTGRES_PWD_FILE"
export POSTGRES_SEEDS DB_PORT POSTGRES_USER POSTGRES_PWD_FILE TEMPORAL_SQL_TOOL TEMPORAL_SCHEMA_DIR
exec sh "$KERNEL_ROLLOUT_HOME/deploy/temporal/setup-schema.sh"
