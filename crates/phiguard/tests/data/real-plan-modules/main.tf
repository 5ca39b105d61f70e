# A configuration for a real `terraform plan` with the patterns that link
# resources through Terraform itself: bucket settings made with
# `for_each = aws_s3_bucket.b` and `each.value.id`, and a KMS key passed
# into a local module. The plan is made offline against endpoints on
# 127.0.0.1 (see regenerate.sh), so no AWS account is used.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  skip_region_validation      = true
  s3_use_path_style           = true

  endpoints {
    s3             = "http://127.0.0.1:9"
    sts            = "http://127.0.0.1:9"
    iam            = "http://127.0.0.1:9"
    kms            = "http://127.0.0.1:9"
    rds            = "http://127.0.0.1:9"
    ec2            = "http://127.0.0.1:9"
    elbv2          = "http://127.0.0.1:9"
    cloudwatchlogs = "http://127.0.0.1:9"
  }
}

variable "buckets" {
  type    = set(string)
  default = ["intake", "claims"]
}

resource "aws_s3_bucket" "b" {
  for_each = var.buckets
  bucket   = "acme-${each.key}"
}

resource "aws_s3_bucket_versioning" "b" {
  for_each = aws_s3_bucket.b
  bucket   = each.value.id

  versioning_configuration {
    status = each.key == "intake" ? "Enabled" : "Suspended"
  }
}

resource "aws_kms_key" "phi" {
  description         = "Key for patient records"
  enable_key_rotation = true
}

module "db" {
  source      = "./modules/db"
  kms_key_arn = aws_kms_key.phi.arn
}
