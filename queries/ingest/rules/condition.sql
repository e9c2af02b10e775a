({{when}})
