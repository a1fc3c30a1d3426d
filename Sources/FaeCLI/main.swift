print("fae-t2i")
