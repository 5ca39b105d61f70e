variable "kms_key_arn" {
  type = string
}

resource "aws_db_instance" "this" {
  identifier          = "records"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  username            = "app"
  password            = "synthetic-password-1"
  storage_encrypted   = true
  kms_key_id          = var.kms_key_arn
  skip_final_snapshot = true
}
