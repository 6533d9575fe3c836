"""The touchscreen kiosk where citizens take a queue number (Qt app; built on ``shared``)."""
