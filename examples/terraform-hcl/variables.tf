variable "region" {
  type    = string
  default = "us-east-1"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "encrypt_scratch" {
  type    = bool
  default = false
}

variable "log_retention_days" {
  type    = number
  default = 30
}
