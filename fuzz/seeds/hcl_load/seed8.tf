# A small intake service for a clinic, with deliberate gaps that phiguard
# reports: an unencrypted volume, a queue without a customer managed key,
# a log group kept for 30 days, and a load balancer that listens on HTTP.

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      DataClassification = "phi"
      Owner              = "intake-team"
    }
  }
}

locals {
  name = "intake-${var.environment}"
}

resource "aws_kms_key" "intake" {
  description         = "${local.name} records"
  enable_key_rotation = true
}

resource "aws_s3_bucket" "records" {
  bucket = "${local.name}-records"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "records" {
  bucket = aws_s3_bucket.records.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.intake.arn
    }
  }
}

resource "aws_s3_bucket_public_access_block" "records" {
  bucket                  = aws_s3_bucket.records.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = "${var.region}a"
  size              = 100
  encrypted         = var.encrypt_scratch
}

resource "aws_sqs_queue" "intake" {
  name = "${local.name}-events"
}

resource "aws_cloudwatch_log_group" "intake" {
  name              = "/intake/${var.environment}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.intake.arn
}

resource "aws_lb" "intake" {
  name               = local.name
  load_balancer_type = "application"
  internal           = true
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.intake.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "forward"
  }
}
