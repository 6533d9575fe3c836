"""The counter desktop where clerks call, serve and transfer citizens (Qt app on ``shared``)."""
