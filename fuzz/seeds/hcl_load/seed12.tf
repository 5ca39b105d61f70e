resource "aws_s3_bucket" "records" {
  bucket = "example-patient-records"
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
      Resource  = ["arn:aws:s3:::example-patient-records", "arn:aws:s3:::example-patient-records/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}
