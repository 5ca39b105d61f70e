# A configuration for a real `terraform plan`: one compliant S3 bucket with
# its settings in separate resources, one bucket that sets nothing, and a
# few other resources with known gaps. The plan is made offline against
# endpoints on 127.0.0.1 (see regenerate.sh), so no AWS account is used.

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

resource "aws_kms_key" "records" {
  description         = "Key for patient records"
  enable_key_rotation = true
}

resource "aws_s3_bucket" "records" {
  bucket = "example-patient-records"
  tags = {
    DataClassification = "phi"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "records" {
  bucket = aws_s3_bucket.records.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.records.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "records" {
  bucket = aws_s3_bucket.records.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket" "access_logs" {
  bucket = "example-access-logs"
}

resource "aws_s3_bucket_logging" "records" {
  bucket        = aws_s3_bucket.records.id
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "records/"
}

resource "aws_s3_bucket_public_access_block" "records" {
  bucket                  = aws_s3_bucket.records.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_policy" "records" {
  bucket = aws_s3_bucket.records.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyWithoutTLS"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.records.arn, "${aws_s3_bucket.records.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_s3_bucket" "plain" {
  bucket = "example-plain-bucket"
}

resource "aws_db_instance" "claims" {
  identifier          = "claims"
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  username            = "claims_admin"
  manage_master_user_password = true
  skip_final_snapshot = true
  storage_encrypted   = false
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/example/api"
  retention_in_days = 30
}

resource "aws_security_group" "admin" {
  name        = "admin"
  description = "Administrative access"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = "us-east-1a"
  size              = 10
}
