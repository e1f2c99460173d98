from django.dispatch import Signal

# Sent inside the transaction that records a message as sent; receivers may record what the delivery means
# for their own records (an electronic notification of a decision, for example). Argument: message.
message_sent = Signal()
