use super::rocket;
