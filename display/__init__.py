"""The waiting-room display that shows and speaks each call (Qt app on ``shared``)."""
