#!/usr/bin/env python3
"""Writes a synthetic Terraform root module with N resources.

The module mixes the resource types phiguard models, with references
between them as real configurations write them: KMS keys, S3 buckets with
their split encryption, versioning and policy resources, RDS instances,
security groups and CloudWatch log groups. Settings come from variables
and locals, so the scan evaluates expressions as well as literals. The
files are spread over ten .tf files plus variables.tf. The output is
deterministic for a given N.

Usage: gen_hcl.py N OUTPUT_DIRECTORY
"""

import os
import sys


def group(i):
    bucket = f"b{i}"
    key = f"k{i}"
    tags = '{ DataClassification = "phi" }' if i % 4 == 0 else "local.tags"
    return f'''
resource "aws_kms_key" "{key}" {{
  description         = "key {i}"
  enable_key_rotation = {str(i % 3 != 0).lower()}
}}

resource "aws_s3_bucket" "{bucket}" {{
  bucket = "${{local.prefix}}-bucket-{i}"
  tags   = {tags}
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "{bucket}" {{
  bucket = aws_s3_bucket.{bucket}.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.{key}.arn
    }}
    bucket_key_enabled = true
  }}
}}

resource "aws_s3_bucket_versioning" "{bucket}" {{
  bucket = aws_s3_bucket.{bucket}.id
  versioning_configuration {{
    status = "{"Enabled" if i % 2 else "Suspended"}"
  }}
}}

resource "aws_s3_bucket_policy" "{bucket}" {{
  bucket = aws_s3_bucket.{bucket}.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["${{aws_s3_bucket.{bucket}.arn}}/*"]
      Condition = {{ Bool = {{ "aws:SecureTransport" = "false" }} }}
    }}]
  }})
}}

resource "aws_db_instance" "db{i}" {{
  engine                          = "postgres"
  engine_version                  = "16.3"
  instance_class                  = "db.t3.micro"
  storage_encrypted               = {str(i % 5 != 0).lower()}
  kms_key_id                      = aws_kms_key.{key}.arn
  publicly_accessible             = false
  backup_retention_period         = var.backup_days
  multi_az                        = true
  deletion_protection             = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
}}

resource "aws_security_group" "sg{i}" {{
  name        = "sg-{i}"
  description = "synthetic"
  ingress {{
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = var.internal_cidrs
  }}
}}

resource "aws_cloudwatch_log_group" "lg{i}" {{
  name              = "/synthetic/{i}"
  retention_in_days = {"var.log_days" if i % 2 else "30"}
  kms_key_id        = aws_kms_key.{key}.arn
}}
'''


def main():
    count, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    groups = max(1, count // 8)
    files = 10
    for f in range(files):
        with open(os.path.join(directory, f"part{f:02d}.tf"), "w") as out:
            for i in range(f, groups, files):
                out.write(group(i))
    with open(os.path.join(directory, "variables.tf"), "w") as out:
        out.write('''variable "backup_days" {
  default = 7
}

variable "log_days" {
  default = 2192
}

variable "internal_cidrs" {
  default = ["10.0.0.0/8"]
}

locals {
  prefix = "synthetic"
  tags   = { Owner = "bench" }
}
''')


if __name__ == "__main__":
    main()
